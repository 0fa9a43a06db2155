#!/usr/bin/env bash
# Latency of the lifecycle verbs around a running container, and the memory of its monitor:
#   exec    `anchor exec CTR true` into a running busybox container, against the floor of entering
#           the same namespaces by hand (`nsenter --target PID --all true`, util-linux).
#   run-rm  `anchor run -d --network none busybox sleep 1000` followed by `anchor rm -f ID`, against
#           `unshare --mount --uts --ipc --pid --net --fork --kill-child chroot ROOTFS sleep 1000`
#           started in the background (waiting until the command runs), then killed and reaped.
#   monitor VmRSS, RssAnon, RssFile, Pss and threads of the `anchor monitor` of an idle detached
#           container, from /proc; conmon and containerd-shim are listed too when running.
# Runners are measured alternately so that all see the same machine state. docker and podman are
# measured side by side when usable (podman installed, docker with a reachable daemon).
# Prints the median, min and max of each in ms and the ratios of the medians to the baseline.
#
# Usage: bench/lifecycle.sh              (N=30 runs of each after WARMUP=3 warm-up rounds)
#        N=100 WARMUP=5 bench/lifecycle.sh
# Env:   ANCHOR_BIN (default: `command -v anchor`), ANCHOR_BUSYBOX_TAR (default: out/busybox-rootfs.tar,
#        made with scripts/busybox-rootfs.sh when missing). Needs root. Uses a private store in a
#        temporary directory and removes it (and every container, process and image it made) on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-30}
WARMUP=${WARMUP:-3}
ANCHOR=${ANCHOR_BIN:-$(command -v anchor || true)}
TAR=${ANCHOR_BUSYBOX_TAR:-$PWD/out/busybox-rootfs.tar}

BENCH=lifecycle.sh
. bench/lib.sh
require_anchor "containers need namespaces, mounts and cgroups"
command -v unshare >/dev/null && command -v nsenter >/dev/null || die "unshare and nsenter (util-linux) are required for the baselines"
require_counts N
require_count0 WARMUP

tmp=$(mktemp -d /tmp/anchor-lifecycle.XXXXXX)
store=(--root "$tmp/root" --runroot "$tmp/run")
docker_image=""
podman_usable=""
baseline_pids=()

cleanup() {
    set +e
    for pid in "${baseline_pids[@]}"; do kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    "$ANCHOR" "${store[@]}" rm -f $("$ANCHOR" "${store[@]}" ps -a -q 2>/dev/null) >/dev/null 2>&1
    if [ -n "$docker_image" ]; then
        docker rm -f $(docker ps -a -q --filter "ancestor=$docker_image") >/dev/null 2>&1
        docker rmi -f "$docker_image" >/dev/null 2>&1
    fi
    if [ -n "$podman_usable" ]; then
        podman "${pstore[@]}" rm -a -f >/dev/null 2>&1
    fi
    remove_tmp "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

busybox_tar "$tmp"

anchor() { "$ANCHOR" "${store[@]}" "$@"; }
anchor import --change 'CMD ["sh"]' "$TAR" busybox:latest >/dev/null
mkdir -p "$tmp/rootfs"
tar -xf "$TAR" -C "$tmp/rootfs"

if command -v podman >/dev/null; then
    pstore=(--root "$tmp/podman" --runroot "$tmp/podman-run")
    if podman "${pstore[@]}" import "$TAR" anchor-bench-busybox >/dev/null 2>&1; then
        podman_usable=1
        podman_limits_for anchor-bench-busybox "${pstore[@]}"
    else
        echo "lifecycle.sh: podman is installed but could not import the image; skipping it" >&2
    fi
fi
if command -v docker >/dev/null && timeout 5 docker info >/dev/null 2>&1; then
    docker_image=anchor-bench-busybox-$$:latest
    docker import "$TAR" "$docker_image" >/dev/null
fi

report() { # report TITLE BASELINE_FN (FN LABEL)...: one line per runner, then the ratios to the baseline
    local title=$1 baseline=$2 fn med min max
    local -A median=()
    local order=()
    shift 2
    echo "$title"
    printf '  %-88s %10s %10s %10s\n' "" "median ms" "min ms" "max ms"
    while [ $# -gt 0 ]; do
        fn=$1
        read -r med min max < <(echo "${samples[$fn]}" | stats)
        median[$fn]=$med
        order+=("$fn")
        printf '  %-88s %10s %10s %10s\n' "$2" "$med" "$min" "$max"
        shift 2
    done
    for fn in "${order[@]}"; do
        [ "$fn" = "$baseline" ] || [ "$fn" = run_d ] || [ "$fn" = rm_f ] && continue
        awk -v a="${median[$fn]}" -v b="${median[$baseline]}" -v n="${fn#*_}" \
            'BEGIN { printf "  ratio %s/baseline (medians): %.1fx\n", n, (b > 0 ? a / b : 0) }'
    done
}

echo "Container lifecycle latency: $N runs each, alternating, after $WARMUP warm-up rounds ($(nproc) CPUs, kernel $(uname -r))"
echo

# ---- exec into a running container ---------------------------------------------------------------
ctr=$(anchor run -d --network none --name bench-exec busybox sleep 100000)
ctr_pid=$(anchor inspect -f '{{.State.Pid}}' "$ctr")
[ "$ctr_pid" -gt 0 ] || die "could not read the PID of the exec target container"

exec_anchor()   { anchor exec bench-exec true; }
exec_nsenter()  { nsenter --target "$ctr_pid" --all true; }
exec_runners=(exec_anchor "anchor exec CTR true" exec_nsenter "nsenter --target PID --all true (baseline)")
if [ -n "$podman_usable" ]; then
    podman "${pstore[@]}" run -d --network none "${podman_limits[@]}" --name bench-exec anchor-bench-busybox sleep 100000 >/dev/null
    exec_podman() { podman "${pstore[@]}" exec bench-exec true; }
    exec_runners+=(exec_podman "podman exec CTR true")
fi
if [ -n "$docker_image" ]; then
    docker run -d --network none --name "bench-exec-$$" "$docker_image" sleep 100000 >/dev/null
    exec_docker() { docker exec "bench-exec-$$" true; }
    exec_runners+=(exec_docker "docker exec CTR true")
fi
fns=(); for ((i = 0; i < ${#exec_runners[@]}; i += 2)); do fns+=("${exec_runners[$i]}"); done
measure "${fns[@]}"
report "exec of \`true\` into a running container" exec_nsenter "${exec_runners[@]}"
echo

# ---- run -d + rm -f -------------------------------------------------------------------------------
cycle_anchor() { # also records its two halves, for the report's breakdown
    local id t0 t1 t2
    t0=$(now_us)
    id=$(anchor run -d --network none busybox sleep 1000)
    t1=$(now_us)
    anchor rm -f "$id"
    t2=$(now_us)
    samples[run_d]+="$((t1 - t0)) "
    samples[rm_f]+="$((t2 - t1)) "
}
# The baseline is "started" once the command runs inside the namespaces (the fifo gets its line),
# as `run -d` returns once the container's process has been started; --kill-child makes killing
# unshare kill the namespace's init, and so the whole pid namespace.
mkfifo "$tmp/ready"
cycle_baseline() {
    unshare --mount --uts --ipc --pid --net --fork --kill-child chroot "$tmp/rootfs" /bin/sh -c 'echo up; exec sleep 1000' >"$tmp/ready" &
    local pid=$!
    baseline_pids=("$pid")
    read -r _ <"$tmp/ready"
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
    baseline_pids=()
}
cycle_runners=(cycle_anchor "anchor run -d --network none busybox sleep 1000 + anchor rm -f ID"
               cycle_baseline "unshare --mount --uts --ipc --pid --net --fork chroot ROOTFS sleep & + kill (baseline)")
if [ -n "$podman_usable" ]; then
    # -t 0: podman 4's rm -f first waits out the stop timeout (10 s; sleep as pid 1 ignores SIGTERM), docker's kills at once.
    cycle_podman() { local id; id=$(podman "${pstore[@]}" run -d --network none "${podman_limits[@]}" anchor-bench-busybox sleep 1000); podman "${pstore[@]}" rm -f -t 0 "$id"; }
    cycle_runners+=(cycle_podman "podman run -d --network none busybox sleep 1000 + podman rm -f -t 0 ID")
fi
if [ -n "$docker_image" ]; then
    cycle_docker() { local id; id=$(docker run -d --network none "$docker_image" sleep 1000); docker rm -f "$id"; }
    cycle_runners+=(cycle_docker "docker run -d --network none busybox sleep 1000 + docker rm -f ID")
fi
fns=(); for ((i = 0; i < ${#cycle_runners[@]}; i += 2)); do fns+=("${cycle_runners[$i]}"); done
measure "${fns[@]}"
# Only the timed rounds' halves: drop the warm-up rounds' samples.
for part in run_d rm_f; do samples[$part]=$(echo "${samples[$part]}" | tr ' ' '\n' | grep . | tail -n "$N" | tr '\n' ' '); done
report "run -d of a sleeping container, then rm -f" cycle_baseline "${cycle_runners[@]:0:2}" \
    run_d "  of which anchor run -d" rm_f "  of which anchor rm -f" "${cycle_runners[@]:2}"
echo

# ---- the monitor's memory -------------------------------------------------------------------------
status_field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; } # in kB, or the count for Threads
pss_kb() { awk '$1 == "Pss:" { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null || echo "?"; }
print_memory() { # print_memory LABEL PID
    printf '  %-40s %8s %10s %10s %10s %10s %8s\n' "$1" "$2" "$(status_field "$2" VmRSS)" "$(status_field "$2" RssAnon)" \
        "$(status_field "$2" RssFile)" "$(pss_kb "$2")" "$(status_field "$2" Threads)"
}

idle=$(anchor run -d --network none --name bench-idle busybox sleep 1000)
sleep 1 # let the monitor settle after start-up
idle_pid=$(anchor inspect -f '{{.State.Pid}}' "$idle")
monitor_pid=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$idle_pid/stat") # the container's parent
tr '\0' ' ' <"/proc/$monitor_pid/cmdline" | grep -q ' monitor ' || die "the parent of the container ($monitor_pid) is not an anchor monitor"

echo "Memory of the per-container monitor (idle \`run -d busybox sleep 1000\`), from /proc/PID/status and smaps_rollup"
printf '  %-40s %8s %10s %10s %10s %10s %8s\n' "process" "pid" "VmRSS kB" "RssAnon kB" "RssFile kB" "Pss kB" "threads"
print_memory "anchor monitor" "$monitor_pid"
# containerd-shim-runc-v2's comm is cut to 15 characters: "containerd-shim" matches both shims.
for name in conmon containerd-shim; do
    for pid in $(pgrep -x "$name" || true); do print_memory "$name" "$pid"; done
done
