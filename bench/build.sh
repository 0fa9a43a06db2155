#!/usr/bin/env bash
# Build times of a 10-step busybox Dockerfile (3 RUN, 2 COPY, 5 metadata steps): a cold build
# (--no-cache) and a fully cached rebuild, each repeated N times; prints the medians in ms.
# docker and podman build the same context side by side when installed (their busybox image
# must be local or pullable); the ratios are tool/anchor.
#
# Usage: bench/build.sh                  (N=5 runs of each)
#        N=10 bench/build.sh
# Env:   ANCHOR_BIN (default: `command -v anchor`), ANCHOR_BUSYBOX_TAR (default:
#        out/busybox-rootfs.tar, made with scripts/busybox-rootfs.sh when missing). Needs root.
#        Uses a private store in a temporary directory and removes it on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-5}
ANCHOR=${ANCHOR_BIN:-$(command -v anchor || true)}
TAR=${ANCHOR_BUSYBOX_TAR:-$PWD/out/busybox-rootfs.tar}

die() { echo "build.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (RUN steps need namespaces, mounts and cgroups)"
[ -n "$ANCHOR" ] && [ -x "$ANCHOR" ] || die "anchor not found: set ANCHOR_BIN or run install.sh"
case $N in ''|*[!0-9]*|0) die "N must be a positive integer" ;; esac

tmp=$(mktemp -d /tmp/anchor-build-bench.XXXXXX)
cleanup() {
    set +e
    for tool in docker podman; do
        command -v $tool >/dev/null 2>&1 && $tool rmi -f anchor-bench-build:1 >/dev/null 2>&1
    done
    local mounts
    mounts=$(awk -v t="$tmp" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
    for m in $mounts; do umount -l "$m"; done
    rm -rf "$tmp"
}
trap cleanup EXIT

if [ ! -f "$TAR" ]; then
    mkdir -p "$(dirname "$TAR")"
    scripts/busybox-rootfs.sh "$TAR"
fi

anchor() { "$ANCHOR" --root "$tmp/root" --runroot "$tmp/run" "$@"; }
anchor import --change 'CMD ["sh"]' "$TAR" busybox:latest >/dev/null

ctx=$tmp/ctx
mkdir -p "$ctx/src"
for i in $(seq 1 20); do head -c 4096 /dev/urandom | base64 > "$ctx/src/file$i.txt"; done
echo "config" > "$ctx/app.conf"
cat > "$ctx/Dockerfile" <<'DOCKERFILE'
FROM busybox
ARG GREETING=hello
ENV APP_HOME=/app
WORKDIR /app
COPY src/ ./src/
RUN echo "$GREETING" > greeting.txt && ls src | wc -l > count.txt
COPY app.conf /etc/app.conf
RUN mkdir -p /var/lib/app && cp /etc/app.conf /var/lib/app/
RUN rm -rf /tmp/* && date > /built-at
LABEL org.example.bench=build
CMD ["cat", "/app/greeting.txt"]
DOCKERFILE

now_ms() { date +%s%3N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
time_build() { # time_build CMD... → ms
    local start end
    start=$(now_ms)
    "$@" >/dev/null
    end=$(now_ms)
    echo $((end - start))
}

measure() { # measure NAME BUILD_FN → prints "cold warm"
    local fn=$1 cold=() warm=()
    for _ in $(seq 1 "$N"); do
        cold+=("$(time_build $fn --no-cache)")
        warm+=("$(time_build $fn)")
    done
    echo "$(printf '%s\n' "${cold[@]}" | median) $(printf '%s\n' "${warm[@]}" | median)"
}

anchor_build() { anchor build -q -t anchor-bench-build:1 "$@" "$ctx"; }
docker_build() { DOCKER_BUILDKIT=0 docker build -q -t anchor-bench-build:1 "$@" "$ctx"; }
podman_build() { podman build -q -t anchor-bench-build:1 "$@" "$ctx"; }

anchor_build >/dev/null # the first build also fills the page cache
read -r a_cold a_warm < <(measure anchor_build)
printf '%-8s cold %6d ms   cached %6d ms\n' anchor "$a_cold" "$a_warm"
for tool in docker podman; do
    if command -v $tool >/dev/null 2>&1 && $tool image inspect busybox >/dev/null 2>&1; then
        ${tool}_build >/dev/null
        read -r t_cold t_warm < <(measure ${tool}_build)
        printf '%-8s cold %6d ms   cached %6d ms   ratio %s/anchor: cold %.2fx cached %.2fx\n' \
            $tool "$t_cold" "$t_warm" $tool \
            "$(echo "$t_cold / $a_cold" | bc -l)" "$(echo "$t_warm / ($a_warm + 0.001)" | bc -l)"
    else
        echo "$tool: not installed (or no local busybox image): skipped"
    fi
done
