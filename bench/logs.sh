#!/usr/bin/env bash
# The json-file log's two ends:
#   logs        `anchor logs CTR` of a container that printed LINES lines (60 bytes each) against
#               the floor `cat` of the same text (and `docker logs` / `podman logs` when usable),
#               N alternating runs each, median/min/max in ms and the ratio to cat.
#   throughput  `yes` for SECONDS seconds in a detached container: bytes logged, and the CPU time
#               its monitor used meanwhile (utime+stime of /proc/PID/stat), beside podman's conmon
#               (k8s-file log) when podman is installed.
# Usage: bench/logs.sh            (N=20 LINES=10000 SECONDS_=10)
# Env:   ANCHOR_BIN, ANCHOR_BUSYBOX_TAR as the other benchmarks. Needs root; private stores in a
#        temporary directory, removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-20}
LINES=${LINES:-10000}
SECS=${SECONDS_:-10}
ANCHOR=${ANCHOR_BIN:-$(command -v anchor || true)}
TAR=${ANCHOR_BUSYBOX_TAR:-$PWD/out/busybox-rootfs.tar}

BENCH=logs.sh
. bench/lib.sh
require_anchor "containers need namespaces, mounts and cgroups"
require_counts N LINES SECS

tmp=$(mktemp -d /tmp/anchor-logs.XXXXXX)
store=(--root "$tmp/root" --runroot "$tmp/run")
pstore=(--root "$tmp/podman" --runroot "$tmp/podman-run")
podman_usable=""
cleanup() {
    set +e
    "$ANCHOR" "${store[@]}" rm -f $("$ANCHOR" "${store[@]}" ps -a -q 2>/dev/null) >/dev/null 2>&1
    [ -z "$podman_usable" ] || podman "${pstore[@]}" rm -a -f -t 0 >/dev/null 2>&1
    remove_tmp "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

busybox_tar "$tmp"
anchor() { "$ANCHOR" "${store[@]}" "$@"; }
anchor import "$TAR" busybox:latest >/dev/null
if podman_usable "$tmp" "${pstore[@]}"; then podman_usable=1; fi

cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; } # utime + stime (fields 14, 15)
script="i=0; while [ \$i -lt $LINES ]; do echo \"line \$i of the benchmark's output, padded to sixty bytes....\"; i=\$((i+1)); done"

# ---- logs -----------------------------------------------------------------------------------------
ctr=$(anchor run -d --network none busybox sh -c "$script")
anchor wait "$ctr" >/dev/null
anchor logs "$ctr" >"$tmp/lines.txt"
[ "$(wc -l <"$tmp/lines.txt")" = "$LINES" ] || die "the container logged $(wc -l <"$tmp/lines.txt") lines, not $LINES"
runners=(logs_anchor "anchor logs CTR" logs_cat "cat of the same text (floor)")
logs_anchor() { anchor logs "$ctr"; }
logs_cat() { cat "$tmp/lines.txt"; }
if [ -n "$podman_usable" ]; then
    pctr=$(podman "${pstore[@]}" run -d --network none "${podman_limits[@]}" anchor-bench-busybox sh -c "$script")
    podman "${pstore[@]}" wait "$pctr" >/dev/null
    logs_podman() { podman "${pstore[@]}" logs "$pctr"; }
    runners+=(logs_podman "podman logs CTR")
fi
declare -A samples
for fn in "${runners[@]}"; do samples[$fn]=""; done
for _ in $(seq "$N"); do
    for ((i = 0; i < ${#runners[@]}; i += 2)); do
        fn=${runners[$i]}; t0=$(now_us); "$fn" >/dev/null; t1=$(now_us)
        samples[$fn]+="$((t1 - t0)) "
    done
done
echo "logs of $LINES lines ($(wc -c <"$tmp/lines.txt") bytes of text), $N alternating runs ($(nproc) CPUs)"
printf '  %-40s %10s %10s %10s\n' "" "median ms" "min ms" "max ms"
declare -A med
for ((i = 0; i < ${#runners[@]}; i += 2)); do
    fn=${runners[$i]}
    read -r m lo hi < <(echo "${samples[$fn]}" | stats)
    med[$fn]=$m
    printf '  %-40s %10s %10s %10s\n' "${runners[$((i + 1))]}" "$m" "$lo" "$hi"
done
awk -v a="${med[logs_anchor]}" -v c="${med[logs_cat]}" 'BEGIN { printf "  ratio anchor/cat (medians): %.1fx\n", a / c }'
echo

# ---- throughput -----------------------------------------------------------------------------------
echo "log throughput: \`yes\` for $SECS s in a detached container"
printf '  %-40s %14s %14s %14s\n' "" "logged MB" "monitor CPU s" "MB per CPU s"
hz=$(getconf CLK_TCK)
measure_yes() { # measure_yes LABEL MONITOR_PID LOG_FILE STOP_COMMAND...
    local label=$1 pid=$2 file=$3 c0 c1 size
    shift 3
    c0=$(cpu_ticks "$pid")
    sleep "$SECS"
    c1=$(cpu_ticks "$pid")
    size=$(stat -c %s "$file")
    "$@" >/dev/null 2>&1 || true
    awk -v l="$label" -v s="$size" -v c="$(( c1 - c0 ))" -v hz="$hz" \
        'BEGIN { cpu = c / hz; printf "  %-40s %14.1f %14.2f %14.1f\n", l, s / 1e6, cpu, (cpu > 0 ? s / 1e6 / cpu : 0) }'
}
ctr=$(anchor run -d --network none busybox yes)
pid=$(anchor inspect -f '{{.State.Pid}}' "$ctr")
monitor=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$pid/stat")
measure_yes "anchor monitor (json-file)" "$monitor" "$tmp/root/containers/$ctr/$ctr-json.log" anchor rm -f "$ctr"
if [ -n "$podman_usable" ]; then
    pctr=$(podman "${pstore[@]}" run -d --network none "${podman_limits[@]}" anchor-bench-busybox yes)
    ppid=$(podman "${pstore[@]}" inspect -f '{{.State.ConmonPid}}' "$pctr")
    plog=$(podman "${pstore[@]}" inspect -f '{{.HostConfig.LogConfig.Path}}' "$pctr")
    [ -n "$plog" ] && [ -f "$plog" ] || plog=$(podman "${pstore[@]}" inspect -f '{{.LogPath}}' "$pctr")
    measure_yes "conmon (podman, $(podman "${pstore[@]}" inspect -f '{{.HostConfig.LogConfig.Type}}' "$pctr"))" "$ppid" "$plog" podman "${pstore[@]}" rm -f -t 0 "$pctr"
fi
