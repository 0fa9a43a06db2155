#!/usr/bin/env bash
# Anchor's run of the cgroup v2 rig (scripts/cgroupv2-vm.sh, Anchor's copy of the shared
# ../shared/tools/cgroupv2-rig.sh: a Debian kernel under QEMU booted with cgroup v2 only, which
# prints the guest's stacks on a lock-up and boots again; docs/cgroupv2-rig.md), with Anchor's own
# guest checks (scripts/cgroupv2-guest-init.sh: limits, devices, the cgroup view and cgroup
# namespace, seccomp) and with libseccomp, which the shared rig does not copy. The rig copies the
# binary's link-time libraries; anchor loads libseccomp only when a seccomp profile is not in its
# cache of compiled programs (dlopen), so the library travels inside the payload tar and the
# guest's init puts it in place.
#
#   scripts/cgroupv2-rig.sh     (after install.sh; ANCHOR_BIN and ANCHOR_BUSYBOX_TAR as for the rig)
#   ANCHOR_BIN=$PWD/out/anchor/anchor scripts/cgroupv2-rig.sh    (a freshly published binary instead of
#                                the installed /usr/local/bin/anchor, the rig's default)
#   RIG_SCRIPT=../shared/tools/cgroupv2-rig.sh scripts/cgroupv2-rig.sh    (the shared rig itself)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
# The busybox tar falls back to the main checkout's; a git worktree elsewhere finds that checkout
# through the repository's common directory.
main=$(cd "$(git -C "$top" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || echo "$top/.git")/.." && pwd)
rig=${RIG_SCRIPT:-$here/cgroupv2-vm.sh}
tar_in=${ANCHOR_BUSYBOX_TAR:-$top/out/busybox-rootfs.tar}
[ -f "$tar_in" ] || tar_in=$main/out/busybox-rootfs.tar
work=$(mktemp -d /tmp/anchor-rig.XXXXXX)
trap 'rm -rf "$work"' EXIT

cp "$tar_in" "$work/payload.tar"
mkdir -p "$work/add/usr/lib/x86_64-linux-gnu"
cp -L /usr/lib/x86_64-linux-gnu/libseccomp.so.2 "$work/add/usr/lib/x86_64-linux-gnu/libseccomp.so.2"
tar -rf "$work/payload.tar" -C "$work/add" ./usr/lib/x86_64-linux-gnu/libseccomp.so.2

ANCHOR_BUSYBOX_TAR=$work/payload.tar RIG_INIT=${RIG_INIT:-$here/cgroupv2-guest-init.sh} bash "$rig"
