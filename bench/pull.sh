#!/usr/bin/env bash
# Cold pull of an image with one ~50 MB (gzip) layer from Debian's docker-registry on loopback:
# `anchor pull` (fetch, verify, unpack into a fresh store) against `skopeo copy` of the same image
# into a directory (fetch and verify only, no unpack), and podman/docker pulls when installed.
# The image is made here without network: busybox plus random (incompressible) and text
# (compressible) files, imported with `anchor import`, saved with `anchor save` and pushed by
# skopeo (which gzips the layer, as docker push does). Prints the median of each in ms and the ratios.
#
# Usage: bench/pull.sh            (N=5 cold pulls of each)
#        N=9 bench/pull.sh
# Env:   ANCHOR_BIN (default: `command -v anchor`), ANCHOR_BUSYBOX_TAR (default: out/busybox-rootfs.tar,
#        made with scripts/busybox-rootfs.sh when missing). Needs root, docker-registry and skopeo.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-5}
ANCHOR=${ANCHOR_BIN:-$(command -v anchor || true)}
TAR=${ANCHOR_BUSYBOX_TAR:-$PWD/out/busybox-rootfs.tar}

BENCH=pull.sh
. bench/lib.sh
[ "$(id -u)" = 0 ] || die "run as root"
[ -n "$ANCHOR" ] && [ -x "$ANCHOR" ] || die "anchor not found: set ANCHOR_BIN or run install.sh"
command -v docker-registry >/dev/null || die "docker-registry is required (apt-get install docker-registry)"
command -v skopeo >/dev/null || die "skopeo is required (apt-get install skopeo)"
case $N in ''|*[!0-9]*|0) die "N must be a positive integer" ;; esac

tmp=$(mktemp -d /tmp/anchor-bench-pull.XXXXXX)
registry_pid=""
podman_ref=""
cleanup() {
    set +e
    [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null
    [ -n "$podman_ref" ] && podman rmi -f "$podman_ref" >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT

if [ ! -f "$TAR" ]; then
    mkdir -p "$(dirname "$TAR")"
    scripts/busybox-rootfs.sh "$TAR" >/dev/null
fi

start_registry "$tmp"
registry_pid=$REGISTRY_PID
port=${REGISTRY_HOST#127.0.0.1:}
ref="127.0.0.1:$port/bench/big:1"

echo "Making the test image..."
make_big_rootfs "$tmp" "$TAR"
A=("$ANCHOR" --root "$tmp/src-root" --runroot "$tmp/src-run")
"${A[@]}" import "$tmp/rootfs.tar" bench/big:1 >/dev/null
"${A[@]}" save -o "$tmp/big.tar" bench/big:1
skopeo copy -q --dest-tls-verify=false "docker-archive:$tmp/big.tar" "docker://$ref"
layer=$(skopeo inspect --raw --tls-verify=false "docker://$ref" | python3 -c 'import json,sys; print(sum(l["size"] for l in json.load(sys.stdin)["layers"]))' 2>/dev/null || echo "?")
echo "Image $ref: compressed layer $layer bytes, unpacked $(du -sh "$tmp/rootfs" | cut -f1)"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

# dockerd treats registries on 127.0.0.0/8 as insecure by default (its InsecureRegistryCIDRs), so
# a reachable daemon pulls from this plain-HTTP registry without any configuration.
docker_usable=""
if command -v docker >/dev/null && timeout 5 docker info >/dev/null 2>&1; then
    docker_usable=1
fi

anchor_times=(); skopeo_times=(); podman_times=(); docker_times=()
for i in $(seq "$N"); do
    rm -rf "$tmp/root" "$tmp/run"; sync; echo 1 > /proc/sys/vm/drop_caches 2>/dev/null || true
    t0=$(now_ms); "$ANCHOR" --root "$tmp/root" --runroot "$tmp/run" pull -q "$ref" >/dev/null; t1=$(now_ms)
    anchor_times+=($((t1 - t0)))

    rm -rf "$tmp/dir"; sync; echo 1 > /proc/sys/vm/drop_caches 2>/dev/null || true
    t0=$(now_ms); skopeo copy -q --src-tls-verify=false "docker://$ref" "dir:$tmp/dir"; t1=$(now_ms)
    skopeo_times+=($((t1 - t0)))

    if command -v podman >/dev/null; then
        podman rmi -f "$ref" >/dev/null 2>&1 || true
        podman_ref=$ref
        t0=$(now_ms); podman pull -q --tls-verify=false "$ref" >/dev/null; t1=$(now_ms)
        podman_times+=($((t1 - t0)))
    fi

    if [ -n "$docker_usable" ]; then
        docker rmi -f "$ref" >/dev/null 2>&1 || true
        t0=$(now_ms); docker pull -q "$ref" >/dev/null; t1=$(now_ms)
        docker_times+=($((t1 - t0)))
    fi
done
[ -z "$docker_usable" ] || docker rmi -f "$ref" >/dev/null 2>&1 || true

anchor_ms=$(printf '%s\n' "${anchor_times[@]}" | median)
skopeo_ms=$(printf '%s\n' "${skopeo_times[@]}" | median)
echo "anchor pull (fetch+verify+unpack):   median ${anchor_ms} ms  [${anchor_times[*]}]"
echo "skopeo copy to dir: (fetch+verify):  median ${skopeo_ms} ms  [${skopeo_times[*]}]"
awk -v a="$anchor_ms" -v s="$skopeo_ms" 'BEGIN { printf "ratio anchor/skopeo: %.2f\n", a / s }'
if [ ${#podman_times[@]} -gt 0 ]; then
    podman_ms=$(printf '%s\n' "${podman_times[@]}" | median)
    echo "podman pull:                         median ${podman_ms} ms  [${podman_times[*]}]"
    awk -v a="$anchor_ms" -v p="$podman_ms" 'BEGIN { printf "ratio anchor/podman: %.2f\n", a / p }'
fi
if [ ${#docker_times[@]} -gt 0 ]; then
    docker_ms=$(printf '%s\n' "${docker_times[@]}" | median)
    echo "docker pull:                         median ${docker_ms} ms  [${docker_times[*]}]"
    awk -v a="$anchor_ms" -v d="$docker_ms" 'BEGIN { printf "ratio anchor/docker: %.2f\n", a / d }'
fi
