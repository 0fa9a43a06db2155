#!/usr/bin/env bash
# Push of an image with one ~50 MB (gzip) layer to Debian's docker-registry on loopback:
# `anchor push` (gzip the plain layer, upload, PUT the manifest) against `skopeo copy` of the same
# image from a docker archive (skopeo gzips it too). Every push goes to a registry started for it
# alone, so each uploads the whole layer: no "already exists", and no cross-repository mount
# (skopeo's blob-info cache remembers where it pushed a blob and mounts it from there; each
# anchor push starts from a fresh store where the image was loaded, untimed).
# Prints the median of each in ms and the ratio.
#
# Usage: bench/push.sh            (N=5 pushes of each)
#        N=9 bench/push.sh
# Env:   ANCHOR_BIN (default: `command -v anchor`), ANCHOR_BUSYBOX_TAR (default: out/busybox-rootfs.tar,
#        made with scripts/busybox-rootfs.sh when missing). Needs root, docker-registry and skopeo.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-5}
ANCHOR=${ANCHOR_BIN:-$(command -v anchor || true)}
TAR=${ANCHOR_BUSYBOX_TAR:-$PWD/out/busybox-rootfs.tar}

BENCH=push.sh
. bench/lib.sh
[ "$(id -u)" = 0 ] || die "run as root"
[ -n "$ANCHOR" ] && [ -x "$ANCHOR" ] || die "anchor not found: set ANCHOR_BIN or run install.sh"
command -v docker-registry >/dev/null || die "docker-registry is required (apt-get install docker-registry)"
command -v skopeo >/dev/null || die "skopeo is required (apt-get install skopeo)"
case $N in ''|*[!0-9]*|0) die "N must be a positive integer" ;; esac

tmp=$(mktemp -d /tmp/anchor-bench-push.XXXXXX)
registry_pid=""
cleanup() {
    set +e
    [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

if [ ! -f "$TAR" ]; then
    mkdir -p "$(dirname "$TAR")"
    scripts/busybox-rootfs.sh "$TAR" >/dev/null
fi


echo "Making the test image..."
make_big_rootfs "$tmp" "$TAR"
A=("$ANCHOR" --root "$tmp/src-root" --runroot "$tmp/src-run")
"${A[@]}" import "$tmp/rootfs.tar" bench/big:1 >/dev/null
"${A[@]}" save -o "$tmp/big.tar" bench/big:1
echo "Image: plain layer $(stat -c %s "$tmp/rootfs.tar") bytes"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

size() { skopeo inspect --raw --tls-verify=false "docker://$1" | python3 -c 'import json,sys; print(sum(l["size"] for l in json.load(sys.stdin)["layers"]))' 2>/dev/null || echo "?"; }
anchor_times=(); skopeo_times=()
for i in $(seq "$N"); do
    rm -rf "$tmp/root" "$tmp/run"
    B=("$ANCHOR" --root "$tmp/root" --runroot "$tmp/run")
    "${B[@]}" load -q -i "$tmp/big.tar" >/dev/null
    start_registry "$tmp/reg-anchor-$i" && registry_pid=$REGISTRY_PID && host=$REGISTRY_HOST
    "${B[@]}" tag bench/big:1 "$host/anchor-$i/big:1"
    sync; echo 1 > /proc/sys/vm/drop_caches 2>/dev/null || true
    t0=$(now_ms); "${B[@]}" push "$host/anchor-$i/big:1" >/dev/null; t1=$(now_ms)
    anchor_times+=($((t1 - t0)))
    [ "$i" = 1 ] && anchor_size=$(size "$host/anchor-1/big:1")
    kill "$registry_pid"; wait "$registry_pid" 2>/dev/null || true; registry_pid=""

    start_registry "$tmp/reg-skopeo-$i" && registry_pid=$REGISTRY_PID && host=$REGISTRY_HOST
    sync; echo 1 > /proc/sys/vm/drop_caches 2>/dev/null || true
    t0=$(now_ms); skopeo copy -q --dest-tls-verify=false "docker-archive:$tmp/big.tar" "docker://$host/skopeo-$i/big:1"; t1=$(now_ms)
    skopeo_times+=($((t1 - t0)))
    [ "$i" = 1 ] && skopeo_size=$(size "$host/skopeo-1/big:1")
    kill "$registry_pid"; wait "$registry_pid" 2>/dev/null || true; registry_pid=""
done

echo "pushed layers: anchor $anchor_size bytes, skopeo $skopeo_size bytes"
anchor_ms=$(printf '%s\n' "${anchor_times[@]}" | median)
skopeo_ms=$(printf '%s\n' "${skopeo_times[@]}" | median)
echo "anchor push (gzip+upload):             median ${anchor_ms} ms  [${anchor_times[*]}]"
echo "skopeo copy docker-archive (gzip+upload): median ${skopeo_ms} ms  [${skopeo_times[*]}]"
awk -v a="$anchor_ms" -v s="$skopeo_ms" 'BEGIN { printf "ratio anchor/skopeo: %.2f\n", a / s }'
