# Shared by the benchmarks (sourced, not run): argument checks, clock, statistics and the removal
# of a benchmark's temporary directory. Set BENCH (the script's name, for messages) first.

die() { echo "$BENCH: $*" >&2; exit 1; }

# require_anchor REASON: root, and an executable anchor in $ANCHOR.
require_anchor() {
    [ "$(id -u)" = 0 ] || die "run as root ($1)"
    [ -n "$ANCHOR" ] && [ -x "$ANCHOR" ] || die "anchor not found: set ANCHOR_BIN or run install.sh"
}

# require_counts NAME...: each named variable is a positive integer.
require_counts() { local v; for v in "$@"; do case ${!v} in ''|*[!0-9]*|0) die "$v must be a positive integer" ;; esac; done; }

# require_count0 NAME...: each named variable is a non-negative integer.
require_count0() { local v; for v in "$@"; do case ${!v} in ''|*[!0-9]*) die "$v must be a non-negative integer" ;; esac; done; }

# Microseconds since the epoch; bash 5's EPOCHREALTIME costs no fork, date(1) is the fallback.
if [ -n "${EPOCHREALTIME:-}" ]; then
    now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "${t#0}"; }
else
    now_us() { echo $(( $(date +%s%N) / 1000 )); }
fi

# median of a space-separated list of numbers on stdin
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# median, min and max in ms of a space-separated list of microsecond samples on stdin
stats() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f %.2f %.2f\n", m / 1000, v[1] / 1000, v[NR] / 1000 }'; }

# remove_tmp DIR [quiet]: never deletes through a mount: unmounts whatever is still mounted below
# DIR first (deepest first; with a warning unless quiet), then removes DIR.
remove_tmp() {
    local dir=$1 mounts
    mounts=$(awk -v t="$dir" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
    if [ -n "$mounts" ]; then
        if [ "${2:-}" != quiet ]; then
            echo "$BENCH: warning: left mounted below $dir (unmounting):" >&2
            echo "$mounts" >&2
        fi
        while read -r m; do umount -l "$m"; done <<<"$mounts"
    fi
    rm -rf --one-file-system "$dir"
}

# busybox_tar DIR: sets TAR to a busybox rootfs tarball, made in DIR when $TAR does not exist.
busybox_tar() {
    if [ ! -f "$TAR" ]; then
        TAR=$1/busybox-rootfs.tar
        scripts/busybox-rootfs.sh "$TAR" >/dev/null
    fi
}

# Timing of runner functions. The caller sets N, WARMUP and tmp (a scratch directory).
declare -A samples
time_one() { # time_one FUNCTION: runs it once, adds its duration to samples[FUNCTION]; a failure stops the benchmark
    local fn=$1 t0 t1
    t0=$(now_us)
    if ! "$fn" >/dev/null 2>"$tmp/err"; then
        echo "$BENCH: $fn failed:" >&2
        cat "$tmp/err" >&2
        exit 1
    fi
    t1=$(now_us)
    samples[$fn]+="$((t1 - t0)) "
}

measure() { # measure FUNCTION...: WARMUP untimed rounds, then N alternating timed rounds
    local fn
    for _ in $(seq 1 "$WARMUP"); do
        for fn in "$@"; do "$fn" >/dev/null 2>&1 || true; done
    done
    for fn in "$@"; do samples[$fn]=""; done
    for _ in $(seq 1 "$N"); do
        for fn in "$@"; do time_one "$fn"; done
    done
}

# podman_limits_for IMAGE PODMAN_GLOBAL_ARGS...: sets the array podman_limits to the --ulimit flags
# podman's containers need on this host: none, or limits below the host's hard limits when a trial
# run is refused. podman gives a root container RLIMIT_NOFILE/NPROC of 1048576, and raising a hard
# limit needs CAP_SYS_RESOURCE (setrlimit(2)), which some sandboxes deny (runc fails alike).
podman_limits_for() {
    local image=$1
    shift
    podman_limits=()
    if ! podman "$@" run --rm --network none "$image" true >/dev/null 2>&1; then
        podman_limits=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
    fi
}

# report_rows WIDTH: the column header and a line per runner, from the arrays names and labels and
# the samples of run_NAME; fills the associative array median (the caller's) with the medians in ms.
report_rows() {
    local width=$1 i name med min max
    printf "  %-${width}s %10s %10s %10s\n" "" "median ms" "min ms" "max ms"
    for i in "${!names[@]}"; do
        name=${names[$i]}
        read -r med min max < <(echo "${samples[run_$name]}" | stats)
        median[$name]=$med
        printf "  %-${width}s %10s %10s %10s\n" "${labels[$i]}" "$med" "$min" "$max"
    done
}

# start_registry DIR: Debian's docker-registry on 127.0.0.1 and a free port, its storage in DIR;
# sets REGISTRY_HOST (127.0.0.1:PORT) and REGISTRY_PID (the caller kills it).
start_registry() {
    local dir=$1 port
    mkdir -p "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
    cat > "$dir/registry.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/registry
http:
  addr: 127.0.0.1:$port
YML
    docker-registry serve "$dir/registry.yml" >"$dir/registry.log" 2>&1 &
    REGISTRY_PID=$!
    REGISTRY_HOST="127.0.0.1:$port"
    for _ in $(seq 50); do curl -fs "http://$REGISTRY_HOST/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
}

# make_big_rootfs DIR BUSYBOX_TAR: DIR/rootfs.tar, busybox plus 30 MB of random (incompressible)
# and ~60 MB of text (compressible) files: one ~50 MB layer once gzipped.
make_big_rootfs() {
    local dir=$1 busybox=$2 i
    mkdir -p "$dir/rootfs/data/random" "$dir/rootfs/data/text"
    tar -xf "$busybox" -C "$dir/rootfs"
    for i in $(seq 300); do head -c 102400 /dev/urandom > "$dir/rootfs/data/random/r$i"; done
    for i in $(seq 60); do seq $((i * 100000)) $((i * 100000 + 110000)) | base64 -w 76 > "$dir/rootfs/data/text/t$i.txt"; done
    tar -C "$dir/rootfs" -cf "$dir/rootfs.tar" .
}

# podman_usable TMP STORE_ARGS...: podman is installed, imports $TAR as anchor-bench-busybox into the
# given store and can run a container there, with the limits podman_limits_for finds (podman_limits);
# says why on stderr when not.
podman_usable() {
    local tmp=$1
    shift
    command -v podman >/dev/null || return 1
    if ! podman "$@" import "$TAR" anchor-bench-busybox >/dev/null 2>"$tmp/podman-err"; then
        echo "$BENCH: podman is installed but cannot import the image; skipping it: $(head -c 300 "$tmp/podman-err")" >&2
        return 1
    fi
    podman_limits_for anchor-bench-busybox "$@"
    if ! podman "$@" run --rm --network none "${podman_limits[@]}" anchor-bench-busybox true >/dev/null 2>"$tmp/podman-err"; then
        echo "$BENCH: podman is installed but cannot run a container here; skipping it: $(head -c 300 "$tmp/podman-err")" >&2
        return 1
    fi
}
