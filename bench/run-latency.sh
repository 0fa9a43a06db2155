#!/usr/bin/env bash
# Start-to-exit latency of a trivial container: `anchor run --rm --network none busybox true`
# against the floor of doing the same kernel work by hand (`unshare ... chroot ROOTFS /bin/true`),
# run alternately so that both see the same machine state. runc, podman and docker are measured
# side by side when installed. Prints the median of each in ms and the anchor/baseline ratio.
#
# Usage: bench/run-latency.sh            (N=50 runs each after WARMUP=5 warm-up runs)
#        N=200 WARMUP=10 bench/run-latency.sh
# Env:   ANCHOR_BIN (default: `command -v anchor`), ANCHOR_BUSYBOX_TAR (default: out/busybox-rootfs.tar,
#        made with scripts/busybox-rootfs.sh when missing). Needs root. Uses a private store in a
#        temporary directory and removes it (and everything it made elsewhere) on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-50}
WARMUP=${WARMUP:-5}
ANCHOR=${ANCHOR_BIN:-$(command -v anchor || true)}
TAR=${ANCHOR_BUSYBOX_TAR:-$PWD/out/busybox-rootfs.tar}

BENCH=run-latency.sh
. bench/lib.sh
require_anchor "containers need namespaces, mounts and cgroups"
command -v unshare >/dev/null || die "unshare (util-linux) is required for the baseline"
require_counts N
require_count0 WARMUP

tmp=$(mktemp -d /tmp/anchor-bench.XXXXXX)
docker_image=""
runc_ids=()

cleanup() {
    set +e
    if [ -n "$docker_image" ]; then docker rmi -f "$docker_image" >/dev/null 2>&1; fi
    for id in "${runc_ids[@]}"; do runc --root "$tmp/runc-state" delete -f "$id" >/dev/null 2>&1; done
    remove_tmp "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

busybox_tar "$tmp"

store=(--root "$tmp/root" --runroot "$tmp/run")
"$ANCHOR" "${store[@]}" import --change 'CMD ["sh"]' "$TAR" busybox:latest >/dev/null
mkdir -p "$tmp/rootfs"
tar -xf "$TAR" -C "$tmp/rootfs"

# Each runner runs the trivial container once; the output is discarded, a failure stops the benchmark.
run_anchor()   { "$ANCHOR" "${store[@]}" run --rm --network none busybox true; }
run_baseline() { unshare --mount --uts --ipc --pid --net --fork chroot "$tmp/rootfs" /bin/true; }

names=(anchor baseline)
labels=("anchor run --rm --network none busybox true" "unshare --mount --uts --ipc --pid --net --fork chroot ROOTFS /bin/true")

if command -v runc >/dev/null; then
    mkdir -p "$tmp/bundle" "$tmp/runc-state"
    (cd "$tmp/bundle" && runc spec)
    # runc refuses a rootfs that is a symlink: the spec names the extracted tree by its absolute path.
    sed -i -e 's/"terminal": true/"terminal": false/' -e 's/"sh"$/"\/bin\/true"/' \
        -e "s|\"path\": \"rootfs\"|\"path\": \"$tmp/rootfs\"|" "$tmp/bundle/config.json"
    runc_n=0
    run_runc() {
        runc_n=$((runc_n + 1))
        local id=anchor-bench-$$-$runc_n
        runc --root "$tmp/runc-state" run --bundle "$tmp/bundle" "$id" </dev/null
    }
    names+=(runc); labels+=("runc run (default spec, /bin/true)")
fi
if command -v podman >/dev/null; then
    pstore=(--root "$tmp/podman" --runroot "$tmp/podman-run")
    if podman "${pstore[@]}" import "$TAR" anchor-bench-busybox >/dev/null 2>&1; then
        podman_limits_for anchor-bench-busybox "${pstore[@]}"
        run_podman() { podman "${pstore[@]}" run --rm --network none "${podman_limits[@]}" anchor-bench-busybox true; }
        names+=(podman); labels+=("podman run --rm --network none busybox true")
    else
        echo "run-latency.sh: podman is installed but could not import the image; skipping it" >&2
    fi
fi
if command -v docker >/dev/null && timeout 5 docker info >/dev/null 2>&1; then
    docker_image=anchor-bench-busybox-$$:latest
    docker import "$TAR" "$docker_image" >/dev/null
    run_docker() { docker run --rm --network none "$docker_image" true; }
    names+=(docker); labels+=("docker run --rm --network none busybox true")
fi

measure "${names[@]/#/run_}"

echo "Container start-to-exit latency: $N runs each, alternating, after $WARMUP warm-up rounds ($(nproc) CPUs, kernel $(uname -r))"
declare -A median
report_rows 72
for name in "${names[@]}"; do
    [ "$name" = baseline ] && continue
    awk -v a="${median[$name]}" -v b="${median[baseline]}" -v n="$name" 'BEGIN { printf "  ratio %s/baseline (medians): %.1fx\n", n, (b > 0 ? a / b : 0) }'
done

leftover=$("$ANCHOR" "${store[@]}" ps -a -q | wc -l)
[ "$leftover" = 0 ] || echo "run-latency.sh: warning: $leftover containers left in the private store" >&2
