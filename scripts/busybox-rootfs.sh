#!/usr/bin/env bash
# Writes a busybox root filesystem tarball (like docker's busybox image) from the host's
# static busybox: /bin/busybox, an absolute symlink per applet, and minimal /etc files (passwd,
# group, and empty hosts, resolv.conf and hostname).
# Usage: busybox-rootfs.sh OUTPUT.tar
set -euo pipefail
out=$1
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || { echo "busybox-rootfs.sh: $busybox not found (apt-get install busybox-static)" >&2; exit 1; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,etc,root,home,var/spool/mail,var/www,proc,sys,dev,tmp}
chmod 1777 "$dir/tmp"
chmod 0700 "$dir/root"
cp "$busybox" "$dir/bin/busybox"
for applet in $("$busybox" --list-full); do
    [ "$applet" = bin/busybox ] && continue
    mkdir -p "$dir/$(dirname "$applet")"
    ln -sf /bin/busybox "$dir/$applet"
done
cat > "$dir/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
P
cat > "$dir/etc/group" <<'G'
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
tty:x:5:
www-data:x:33:
users:x:100:
nogroup:x:65534:
G
# Empty like a distribution's until the engine bind-mounts its own over them (docker does the same):
# with them in the image, starting a container creates nothing in its writable layer.
: > "$dir/etc/hosts"
: > "$dir/etc/resolv.conf"
: > "$dir/etc/hostname"
tar --numeric-owner --owner=0 --group=0 -C "$dir" -cf "$out" .
