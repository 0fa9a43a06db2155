#!/usr/bin/env bash
# anchor-runc as the OCI runtime of real engines, against runc under the same engine: start-to-exit
# latency of a trivial container through containerd (`ctr run --rm --runc-binary …`) and through
# dockerd (`docker run --rm --runtime …`), each with anchor-runc and with runc, run alternately so
# that both see the same machine state. Prints the median of each in ms and the anchor-runc/runc
# ratio per engine.
#
# Usage: bench/oci.sh                    (N=30 runs each after WARMUP=3 warm-up runs)
#        N=100 bench/oci.sh
# Env:   ANCHOR_BIN (default: `command -v anchor`), ANCHOR_BUSYBOX_TAR (default:
#        out/busybox-rootfs.tar, made with scripts/busybox-rootfs.sh when missing), DOCKERD
#        (default: dockerd on PATH or /usr/local/lib/anchor/dockerd; the docker part is skipped
#        without it). Needs root, containerd, ctr and runc. Starts a private containerd (and
#        dockerd) on sockets in a temporary directory, stops them and removes everything on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-30}
WARMUP=${WARMUP:-3}
ANCHOR=${ANCHOR_BIN:-$(command -v anchor || true)}
TAR=${ANCHOR_BUSYBOX_TAR:-$PWD/out/busybox-rootfs.tar}
DOCKERD=${DOCKERD:-$(command -v dockerd || echo /usr/local/lib/anchor/dockerd)}
DOCKER=$(command -v docker || echo /usr/local/lib/anchor/docker)
RUNC=$(command -v runc || true)

BENCH=oci.sh
. bench/lib.sh
require_anchor "the runtimes need namespaces, mounts and cgroups"
command -v containerd >/dev/null && command -v ctr >/dev/null || die "containerd and ctr are required (install.sh installs them)"
[ -n "$RUNC" ] || die "runc is required (it comes with containerd)"
require_counts N
require_count0 WARMUP

tmp=$(mktemp -d /tmp/anchor-bench-oci.XXXXXX)
containerd_pid="" dockerd_pid=""

cleanup() {
    set +e
    if [ -n "$dockerd_pid" ]; then kill "$dockerd_pid" 2>/dev/null; wait "$dockerd_pid" 2>/dev/null; fi
    if [ -n "$containerd_pid" ]; then kill "$containerd_pid" 2>/dev/null; wait "$containerd_pid" 2>/dev/null; fi
    # containerd's "default" and dockerd's "docker" parent groups are made on demand and kept.
    for parent in default docker; do rmdir /sys/fs/cgroup/*/"$parent" /sys/fs/cgroup/"$parent" 2>/dev/null; done
    remove_tmp "$tmp" quiet
}
trap cleanup EXIT
trap 'exit 130' INT TERM

busybox_tar "$tmp"
# The runtime is the anchor binary under the name anchor-runc (install.sh makes that link too).
ln -s "$ANCHOR" "$tmp/anchor-runc"

# A private containerd (CRI off) with busybox imported from an anchor save.
cat >"$tmp/containerd.toml" <<TOML
version = 2
root = "$tmp/containerd/root"
state = "$tmp/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$tmp/c.sock"
[ttrpc]
  address = "$tmp/c.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
TOML
containerd --config "$tmp/containerd.toml" >"$tmp/containerd.log" 2>&1 &
containerd_pid=$!
ctr_() { ctr -a "$tmp/c.sock" "$@"; }
for _ in $(seq 1 100); do ctr_ version >/dev/null 2>&1 && break; sleep 0.1; done
ctr_ version >/dev/null 2>&1 || die "containerd did not come up (see $tmp/containerd.log)"
store=(--root "$tmp/anchor" --runroot "$tmp/anchor-run")
"$ANCHOR" "${store[@]}" import --change 'CMD ["sh"]' "$TAR" busybox:latest >/dev/null
"$ANCHOR" "${store[@]}" save -o "$tmp/busybox.tar" busybox:latest
ctr_ images import "$tmp/busybox.tar" >/dev/null
image=docker.io/library/busybox:latest

n=0
run_ctr_anchor() { n=$((n + 1)); ctr_ run --rm --runc-binary "$tmp/anchor-runc" "$image" "bench-a-$$-$n" true; }
run_ctr_runc()   { n=$((n + 1)); ctr_ run --rm --runc-binary "$RUNC" "$image" "bench-r-$$-$n" true; }
names=(ctr_anchor ctr_runc)
labels=("ctr run --rm --runc-binary anchor-runc busybox true" "ctr run --rm --runc-binary runc busybox true")

if [ -x "$DOCKERD" ] && [ -x "$DOCKER" ]; then
    "$DOCKERD" --host "unix://$tmp/d.sock" --data-root "$tmp/docker" --exec-root "$tmp/docker-exec" \
        --pidfile "$tmp/docker.pid" --containerd "$tmp/c.sock" --iptables=false --ip-masq=false --bridge=none \
        --add-runtime "anchor=$tmp/anchor-runc" >"$tmp/dockerd.log" 2>&1 &
    dockerd_pid=$!
    docker_() { "$DOCKER" -H "unix://$tmp/d.sock" "$@"; }
    for _ in $(seq 1 150); do docker_ version >/dev/null 2>&1 && break; sleep 0.2; done
    docker_ version >/dev/null 2>&1 || die "dockerd did not come up (see $tmp/dockerd.log)"
    docker_ load -i "$tmp/busybox.tar" >/dev/null
    run_docker_anchor() { docker_ run --rm --network none --runtime anchor busybox true; }
    run_docker_runc()   { docker_ run --rm --network none --runtime runc busybox true; }
    names+=(docker_anchor docker_runc)
    labels+=("docker run --rm --network none --runtime anchor busybox true" "docker run --rm --network none --runtime runc busybox true")
else
    echo "oci.sh: no dockerd/docker ($DOCKERD, $DOCKER): the docker part is skipped" >&2
fi

measure "${names[@]/#/run_}"

echo "OCI runtime under real engines: $N runs each, alternating, after $WARMUP warm-up rounds ($(nproc) CPUs, kernel $(uname -r))"
declare -A median
report_rows 66
for engine in ctr docker; do
    [ -n "${median[${engine}_anchor]:-}" ] || continue
    awk -v a="${median[${engine}_anchor]}" -v b="${median[${engine}_runc]}" -v e="$engine" \
        'BEGIN { printf "  ratio %s: anchor-runc/runc (medians): %.2fx\n", e, (b > 0 ? a / b : 0) }'
done
