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

# podman_usable TMP STORE_ARGS...: podman is installed, imports $TAR as anchor-bench-busybox into the
# given store and can run a container there (it may be installed but unable to run, e.g. rlimits
# refused in a nested setup); says why on stderr when not.
podman_usable() {
    local tmp=$1
    shift
    command -v podman >/dev/null || return 1
    if ! podman "$@" import "$TAR" anchor-bench-busybox >/dev/null 2>"$tmp/podman-err" \
        || ! podman "$@" run --rm --network none anchor-bench-busybox true >/dev/null 2>"$tmp/podman-err"; then
        echo "$BENCH: podman is installed but cannot run a container here; skipping it: $(head -c 300 "$tmp/podman-err")" >&2
        return 1
    fi
}
