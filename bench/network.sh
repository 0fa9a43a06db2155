#!/usr/bin/env bash
# The cost of Anchor's bridge networking.
# 1. Latency: `anchor run --rm busybox true` on the default bridge (veth pair, address, route)
#    against `--network none`, run alternately so both see the same machine state; medians and ratio.
#    (podman pays ~2x for its bridge, docker ~1x.)
# 2. TCP throughput into a container: SIZE MB written by the host (bash /dev/tcp) to a busybox nc
#    listening in a detached container, through the published port on 127.0.0.1 (nftables DNAT,
#    route_localnet, masquerade) and directly to the container's address on its bridge (a user
#    network of the benchmark's own); median
#    MB/s of R transfers each and the ratio published/direct.
#
# Usage: bench/network.sh                (N=30 latency pairs, R=5 transfers of SIZE=200 MB)
#        N=100 R=9 SIZE=500 bench/network.sh
# Env:   ANCHOR_BIN (default: `command -v anchor`), ANCHOR_BUSYBOX_TAR (default:
#        out/busybox-rootfs.tar, made with scripts/busybox-rootfs.sh when missing). Needs root
#        and nft. Uses a private store in a temporary directory and removes it
#        (container, veths, nft rules) on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-30}
R=${R:-5}
SIZE=${SIZE:-200}
ANCHOR=${ANCHOR_BIN:-$(command -v anchor || true)}
TAR=${ANCHOR_BUSYBOX_TAR:-$PWD/out/busybox-rootfs.tar}

BENCH=network.sh
. bench/lib.sh
require_anchor "containers need namespaces, veths and nftables"
require_counts N R SIZE

tmp=$(mktemp -d /tmp/anchor-net-bench.XXXXXX)
store=(--root "$tmp/root" --runroot "$tmp/run")
anchor() { "$ANCHOR" "${store[@]}" "$@"; }
cleanup() {
    set +e
    anchor rm -f anchor-bench-sink >/dev/null 2>&1
    anchor network rm anchor-bench-net >/dev/null 2>&1
    remove_tmp "$tmp" quiet
}
trap cleanup EXIT
trap 'exit 130' INT TERM

busybox_tar "$tmp"
anchor import --change 'CMD ["sh"]' "$TAR" busybox:latest >/dev/null


# --- 1. latency, paired -------------------------------------------------------------------
declare -A samples=([bridge]="" [none]="")
run_bridge() { anchor run --rm busybox true; }
run_none()   { anchor run --rm --network none busybox true; }
for _ in 1 2 3; do run_bridge >/dev/null; run_none >/dev/null; done
for _ in $(seq 1 "$N"); do
    for name in bridge none; do
        t0=$(now_us)
        "run_$name" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; die "$name run failed"; }
        t1=$(now_us)
        samples[$name]+="$((t1 - t0)) "
    done
done
bridge_ms=$(echo "${samples[bridge]}" | median | awk '{ printf "%.2f", $1 / 1000 }')
none_ms=$(echo "${samples[none]}" | median | awk '{ printf "%.2f", $1 / 1000 }')
echo "Start-to-exit latency, $N alternating pairs ($(nproc) CPUs, kernel $(uname -r)):"
printf '  %-56s %8s ms\n' "anchor run --rm busybox true (default bridge)" "$bridge_ms"
printf '  %-56s %8s ms\n' "anchor run --rm --network none busybox true" "$none_ms"
awk -v a="$bridge_ms" -v b="$none_ms" 'BEGIN { printf "  ratio bridge/none (medians): %.2fx\n", a / b }'

# --- 2. throughput --------------------------------------------------------------------------
port=$(( 40000 + RANDOM % 20000 ))
# A user network of the private store: its own bridge and subnet, whatever else runs on anchor0.
anchor network create anchor-bench-net >/dev/null
anchor run -d --name anchor-bench-sink --network anchor-bench-net -p "127.0.0.1:$port:5001" busybox \
    sh -c 'while true; do nc -l -p 5001 >/dev/null; done' >/dev/null
ip=$(anchor exec anchor-bench-sink sh -c "ip -4 -o addr show eth0 | awk '{ split(\$4, a, \"/\"); print a[1] }'")
[ -n "$ip" ] || die "could not read the container's address"
transfer() { # host port -> MB/s; bash's /dev/tcp is the client (busybox nc stops early on piped input)
    local host=$1 p=$2 t0 t1 i
    for i in $(seq 1 100); do
        { exec 3>"/dev/tcp/$host/$p"; } 2>/dev/null && break
        [ "$i" = 100 ] && die "nothing listens on $host:$p"
        sleep 0.05 # the sink's nc restarts between transfers
    done
    t0=$(now_us)
    head -c "${SIZE}M" /dev/zero >&3
    exec 3>&-
    t1=$(now_us)
    awk -v s="$SIZE" -v us="$((t1 - t0))" 'BEGIN { printf "%.1f", s * 1000000 / us }'
}
declare -A rates=([published]="" [direct]="")
for _ in $(seq 1 "$R"); do
    rates[published]+="$(transfer 127.0.0.1 "$port") "
    rates[direct]+="$(transfer "$ip" 5001) "
done
pub=$(echo "${rates[published]}" | median)
dir=$(echo "${rates[direct]}" | median)
echo "TCP throughput into a container, ${SIZE} MB per transfer, median of $R (busybox nc receiving):"
printf '  %-56s %8s MB/s\n' "published port 127.0.0.1:$port -> :5001 (nftables DNAT)" "$pub"
printf '  %-56s %8s MB/s\n' "direct to the container $ip:5001" "$dir"
awk -v a="$pub" -v b="$dir" 'BEGIN { printf "  ratio published/direct (medians): %.2fx\n", a / b }'
