#!/usr/bin/env bash
# The Engine API side by side (issue 13): the same docker client and docker-compose drive
# `anchor serve` and, when installed, a dockerd of this script's own, each on a private socket and
# state directory. Timed: `docker run --rm --network none busybox true`, `docker exec C true`,
# `docker ps -a` with 100 containers, and `docker-compose up -d` + `down` of 5 services; the
# engines run alternately, medians in ms and the dockerd/anchor ratio are printed.
#
# Usage: bench/api.sh                 (N=20 runs of run/exec/ps, NC=3 compose rounds, after 2 warm-ups)
#        N=50 NC=5 bench/api.sh
# Env:   ANCHOR_BIN (default: `command -v anchor`; anchor-serve must sit next to it), ANCHOR_BUSYBOX_TAR
#        (default out/busybox-rootfs.tar), DOCKER_CLIENT (default: `command -v docker`), NO_DOCKERD=1 to
#        measure Anchor alone. Needs root. dockerd runs with --iptables=false --bridge=none so that it
#        does not change the host's firewall (its FORWARD policy would drop Anchor's bridged traffic).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-20}
NC=${NC:-3}
WARMUP=${WARMUP:-2}
ANCHOR=${ANCHOR_BIN:-$(command -v anchor || true)}
TAR=${ANCHOR_BUSYBOX_TAR:-$PWD/out/busybox-rootfs.tar}
CLIENT=${DOCKER_CLIENT:-$(command -v docker || ls /usr/local/lib/anchor/docker 2>/dev/null || true)}
COMPOSE=$(command -v docker-compose || true)

BENCH=api.sh
. bench/lib.sh
require_anchor "containers need namespaces, mounts and cgroups"
require_counts N NC
require_count0 WARMUP
[ -n "$CLIENT" ] && [ -x "$CLIENT" ] || die "a docker client is required (install.sh installs one)"

tmp=$(mktemp -d /tmp/anchor-bench.XXXXXX)
serve_pid=""
dockerd_pid=""
cleanup() {
    set +e
    for e in "${engines[@]:-}"; do
        [ -n "$e" ] || continue
        ids=$(dk "$e" ps -aq 2>/dev/null)
        [ -z "$ids" ] || dk "$e" rm -f $ids >/dev/null 2>&1
    done
    [ -z "$serve_pid" ] || { kill "$serve_pid"; wait "$serve_pid"; } 2>/dev/null
    if [ -n "$dockerd_pid" ]; then
        kill "$dockerd_pid" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.1; done
    fi
    remove_tmp "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

busybox_tar "$tmp"
declare -A sock
engines=(anchor)
sock[anchor]=$tmp/anchor.sock
store=(--root "$tmp/root" --runroot "$tmp/run")
"$ANCHOR" "${store[@]}" import --change 'CMD ["sh"]' "$TAR" busybox:latest >/dev/null
"$ANCHOR" "${store[@]}" serve -H "unix://${sock[anchor]}" >"$tmp/serve.log" 2>&1 &
serve_pid=$!

if [ -z "${NO_DOCKERD:-}" ] && command -v dockerd >/dev/null; then
    sock[docker]=$tmp/docker.sock
    dockerd --data-root "$tmp/docker" --exec-root "$tmp/docker-exec" --pidfile "$tmp/docker.pid" \
        -H "unix://${sock[docker]}" --iptables=false --ip6tables=false --bridge=none >"$tmp/dockerd.log" 2>&1 &
    dockerd_pid=$!
    engines+=(docker)
fi

dk() { local e=$1; shift; DOCKER_HOST="unix://${sock[$e]}" "$CLIENT" "$@"; }
for e in "${engines[@]}"; do
    for _ in $(seq 300); do dk "$e" version >/dev/null 2>&1 && break; sleep 0.1; done
    dk "$e" version >/dev/null 2>&1 || { cat "$tmp/$([ "$e" = anchor ] && echo serve || echo dockerd).log" >&2; die "$e did not answer on ${sock[$e]}"; }
done
if [ -n "$dockerd_pid" ]; then
    dk docker import --change 'CMD ["sh"]' "$TAR" busybox:latest >/dev/null
fi

declare -A samples
# time_one ENGINE NAME COMMAND...: one timed run, a failure stops the benchmark.
time_one() {
    local e=$1 name=$2 t0 t1
    shift 2
    t0=$(now_us)
    if ! "$@" >/dev/null 2>"$tmp/err"; then
        echo "api.sh: $name on $e failed:" >&2
        cat "$tmp/err" >&2
        exit 1
    fi
    t1=$(now_us)
    samples[$e.$name]+="$((t1 - t0)) "
}

# run --rm
for _ in $(seq "$WARMUP"); do for e in "${engines[@]}"; do dk "$e" run --rm --network none busybox true >/dev/null 2>&1 || true; done; done
for _ in $(seq "$N"); do
    for e in "${engines[@]}"; do time_one "$e" run dk "$e" run --rm --network none busybox true; done
done

# exec into one running container per engine
for e in "${engines[@]}"; do dk "$e" run -d --name bench-exec --network none busybox sleep 600 >/dev/null; done
for _ in $(seq "$WARMUP"); do for e in "${engines[@]}"; do dk "$e" exec bench-exec true || true; done; done
for _ in $(seq "$N"); do
    for e in "${engines[@]}"; do time_one "$e" exec dk "$e" exec bench-exec true; done
done
for e in "${engines[@]}"; do dk "$e" rm -f bench-exec >/dev/null; done

# ps -a with 100 created containers
for e in "${engines[@]}"; do
    for i in $(seq 100); do dk "$e" create --network none --name "bench-ps-$i" busybox true >/dev/null; done
done
for _ in $(seq "$N"); do
    for e in "${engines[@]}"; do time_one "$e" ps dk "$e" ps -a; done
done
for e in "${engines[@]}"; do dk "$e" rm -f $(dk "$e" ps -aq) >/dev/null; done

# compose up -d / down of 5 services
labels=(run exec ps)
if [ -n "$COMPOSE" ]; then
    mkdir -p "$tmp/compose"
    {
        echo 'version: "3.8"'
        echo 'services:'
        for i in 1 2 3 4 5; do printf '  s%d:\n    image: busybox\n    command: ["sleep", "600"]\n    network_mode: none\n' "$i"; done
    } >"$tmp/compose/docker-compose.yml"
    compose() { local e=$1; shift; DOCKER_HOST="unix://${sock[$e]}" "$COMPOSE" -p benchapi -f "$tmp/compose/docker-compose.yml" "$@"; }
    updown() { compose "$1" up -d && compose "$1" down -t 0; }
    for _ in $(seq "$NC"); do
        for e in "${engines[@]}"; do time_one "$e" compose updown "$e"; done
    done
    labels+=(compose)
fi

echo "Engine API through the docker client ($("$CLIENT" --version | cut -d, -f1)): medians of $N runs (compose: $NC), alternating ($(nproc) CPUs, kernel $(uname -r))"
printf '  %-58s %12s %12s %8s\n' "" "anchor ms" "dockerd ms" "ratio"
declare -A title=(
    [run]="docker run --rm --network none busybox true"
    [exec]="docker exec C true"
    [ps]="docker ps -a (100 containers)"
    [compose]="docker-compose up -d + down -t 0 (5 services)"
)
for name in "${labels[@]}"; do
    a=$(echo "${samples[anchor.$name]}" | median)
    d=""
    [ -z "$dockerd_pid" ] || d=$(echo "${samples[docker.$name]}" | median)
    awk -v t="${title[$name]}" -v a="$a" -v d="$d" 'BEGIN {
        if (d == "") printf "  %-58s %12.1f %12s %8s\n", t, a / 1000, "-", "-";
        else printf "  %-58s %12.1f %12.1f %7.1fx\n", t, a / 1000, d / 1000, (a > 0 ? d / a : 0) }'
done
echo "  (ratio = dockerd / anchor: how many times faster Anchor answers the same client)"
