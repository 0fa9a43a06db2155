#!/usr/bin/env bash
# Verbs over many containers in one store:
#   create  COUNT_CREATE sequential `anchor create --network none busybox true` (total seconds).
#   rm      one `anchor rm -f` of COUNT_RM running containers (`run -d ... sleep 1000`).
# beside docker (when its daemon is reachable) and podman (when installed; rm with -t 0 as docker's
# rm -f kills at once). docker's figures from issue 17 when it is not usable: rm -f of 200 0.6-1.4 s,
# create x20 1.8 s. Prints seconds and the ratios to docker.
# Usage: bench/many.sh   (COUNT_CREATE=20 COUNT_RM=200)
# Env:   ANCHOR_BIN, ANCHOR_BUSYBOX_TAR as the other benchmarks. Needs root; private stores.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT_CREATE=${COUNT_CREATE:-20}
COUNT_RM=${COUNT_RM:-200}
ANCHOR=${ANCHOR_BIN:-$(command -v anchor || true)}
TAR=${ANCHOR_BUSYBOX_TAR:-$PWD/out/busybox-rootfs.tar}

BENCH=many.sh
. bench/lib.sh
require_anchor "containers need namespaces, mounts and cgroups"
require_counts COUNT_CREATE COUNT_RM

tmp=$(mktemp -d /tmp/anchor-many.XXXXXX)
store=(--root "$tmp/root" --runroot "$tmp/run")
pstore=(--root "$tmp/podman" --runroot "$tmp/podman-run")
podman_usable=""
docker_image=""
cleanup() {
    set +e
    "$ANCHOR" "${store[@]}" rm -f $("$ANCHOR" "${store[@]}" ps -a -q 2>/dev/null) >/dev/null 2>&1
    [ -z "$podman_usable" ] || podman "${pstore[@]}" rm -a -f -t 0 >/dev/null 2>&1
    if [ -n "$docker_image" ]; then
        docker rm -f $(docker ps -a -q --filter "ancestor=$docker_image") >/dev/null 2>&1
        docker rmi -f "$docker_image" >/dev/null 2>&1
    fi
    remove_tmp "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

busybox_tar "$tmp"
anchor() { "$ANCHOR" "${store[@]}" "$@"; }
anchor import "$TAR" busybox:latest >/dev/null
if podman_usable "$tmp" "${pstore[@]}"; then podman_usable=1; fi
if command -v docker >/dev/null && timeout 5 docker info >/dev/null 2>&1; then
    docker_image=anchor-bench-busybox-$$:latest
    docker import "$TAR" "$docker_image" >/dev/null
fi

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e6 }'; }
declare -A took
timed() { # timed KEY COMMAND...: seconds of one run into took[KEY]
    local key=$1 t0 t1
    shift
    t0=$(now_us); "$@" >/dev/null; t1=$(now_us)
    took[$key]=$(seconds "$t0" "$t1")
}

create_anchor() { for _ in $(seq "$COUNT_CREATE"); do anchor create --network none busybox true; done; }
create_podman() { for _ in $(seq "$COUNT_CREATE"); do podman "${pstore[@]}" create --network none "${podman_limits[@]}" anchor-bench-busybox true; done; }
create_docker() { for _ in $(seq "$COUNT_CREATE"); do docker create --network none "$docker_image" true; done; }
start_many() { # start_many RUNNER: COUNT_RM sleeping containers, their ids in $tmp/ids
    for _ in $(seq "$COUNT_RM"); do "$@" sleep 1000; done >"$tmp/ids"
}

echo "Verbs over many containers ($(nproc) CPUs, kernel $(uname -r))"
timed create_anchor create_anchor
[ -z "$podman_usable" ] || timed create_podman create_podman
[ -z "$docker_image" ] || timed create_docker create_docker
anchor rm -f $(anchor ps -a -q) >/dev/null
[ -z "$podman_usable" ] || podman "${pstore[@]}" rm -a -f -t 0 >/dev/null
[ -z "$docker_image" ] || docker rm -f $(docker ps -a -q --filter "ancestor=$docker_image") >/dev/null

start_many anchor run -d --network none busybox
timed rm_anchor anchor rm -f $(cat "$tmp/ids")
if [ -n "$podman_usable" ]; then
    start_many podman "${pstore[@]}" run -d --network none "${podman_limits[@]}" anchor-bench-busybox
    timed rm_podman podman "${pstore[@]}" rm -f -t 0 $(cat "$tmp/ids")
fi
if [ -n "$docker_image" ]; then
    start_many docker run -d --network none "$docker_image"
    timed rm_docker docker rm -f $(cat "$tmp/ids")
fi

row() { # row LABEL KEY_ANCHOR KEY_DOCKER KEY_PODMAN ISSUE_DOCKER
    printf '  %-44s %10s %10s %10s' "$1" "${took[$2]}" "${took[$3]:--}" "${took[$4]:--}"
    awk -v a="${took[$2]}" -v d="${took[$3]:-$5}" -v known="${took[$3]:+measured}" \
        'BEGIN { printf "   anchor/docker %.2fx%s\n", a / d, (known == "" ? " (docker from issue 17)" : "") }'
}
printf '  %-44s %10s %10s %10s\n' "" "anchor s" "docker s" "podman s"
row "create x$COUNT_CREATE (sequential)" create_anchor create_docker create_podman 1.8
row "rm -f of $COUNT_RM running containers, one command" rm_anchor rm_docker rm_podman 1.0
