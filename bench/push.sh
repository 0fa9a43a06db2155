#!/usr/bin/env bash
# Push of an image with one ~50 MB (gzip) layer to Debian's docker-registry on loopback:
# `anchor push` (gzip the plain layer, upload, PUT the manifest) against `skopeo copy` of the same
# image from a docker archive (skopeo gzips it too), each to a repository of its own every time,
# so every push uploads the whole layer (no "already exists", no cross-repository mount: each
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

die() { echo "push.sh: $*" >&2; exit 1; }
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

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
cat > "$tmp/registry.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $tmp/registry
http:
  addr: 127.0.0.1:$port
YML
docker-registry serve "$tmp/registry.yml" >"$tmp/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
host="127.0.0.1:$port"

echo "Making the test image..."
mkdir -p "$tmp/rootfs/data/random" "$tmp/rootfs/data/text"
tar -xf "$TAR" -C "$tmp/rootfs"
for i in $(seq 300); do head -c 102400 /dev/urandom > "$tmp/rootfs/data/random/r$i"; done
for i in $(seq 60); do seq $((i * 100000)) $((i * 100000 + 110000)) | base64 -w 76 > "$tmp/rootfs/data/text/t$i.txt"; done
tar -C "$tmp/rootfs" -cf "$tmp/rootfs.tar" .
A=("$ANCHOR" --root "$tmp/src-root" --runroot "$tmp/src-run")
"${A[@]}" import "$tmp/rootfs.tar" bench/big:1 >/dev/null
"${A[@]}" save -o "$tmp/big.tar" bench/big:1
echo "Image: plain layer $(stat -c %s "$tmp/rootfs.tar") bytes"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

anchor_times=(); skopeo_times=()
for i in $(seq "$N"); do
    rm -rf "$tmp/root" "$tmp/run"
    B=("$ANCHOR" --root "$tmp/root" --runroot "$tmp/run")
    "${B[@]}" load -q -i "$tmp/big.tar" >/dev/null
    "${B[@]}" tag bench/big:1 "$host/anchor-$i/big:1"
    sync; echo 1 > /proc/sys/vm/drop_caches 2>/dev/null || true
    t0=$(now_ms); "${B[@]}" push "$host/anchor-$i/big:1" >/dev/null; t1=$(now_ms)
    anchor_times+=($((t1 - t0)))

    sync; echo 1 > /proc/sys/vm/drop_caches 2>/dev/null || true
    t0=$(now_ms); skopeo copy -q --dest-tls-verify=false "docker-archive:$tmp/big.tar" "docker://$host/skopeo-$i/big:1"; t1=$(now_ms)
    skopeo_times+=($((t1 - t0)))
done

size() { skopeo inspect --raw --tls-verify=false "docker://$1" | python3 -c 'import json,sys; print(sum(l["size"] for l in json.load(sys.stdin)["layers"]))' 2>/dev/null || echo "?"; }
echo "pushed layers: anchor $(size "$host/anchor-1/big:1") bytes, skopeo $(size "$host/skopeo-1/big:1") bytes"
anchor_ms=$(printf '%s\n' "${anchor_times[@]}" | median)
skopeo_ms=$(printf '%s\n' "${skopeo_times[@]}" | median)
echo "anchor push (gzip+upload):             median ${anchor_ms} ms  [${anchor_times[*]}]"
echo "skopeo copy docker-archive (gzip+upload): median ${skopeo_ms} ms  [${skopeo_times[*]}]"
awk -v a="$anchor_ms" -v s="$skopeo_ms" 'BEGIN { printf "ratio anchor/skopeo: %.2f\n", a / s }'
