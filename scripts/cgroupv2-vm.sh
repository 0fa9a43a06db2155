#!/usr/bin/env bash
# Anchor's copy of the shared cgroup v2 rig (../shared/tools/cgroupv2-rig.sh, read-only there): boots
# a throw-away Debian 12 cloud kernel under QEMU on a pure cgroup v2 hierarchy (cgroup_no_v1=all)
# and runs the guest init's checks; scripts/cgroupv2-rig.sh runs it. What this copy adds, for the
# intermittent guest lock-up at the first `anchor run` (docs/cgroupv2-rig.md):
#   - the guest prints the stacks of a lock-up: softlockup_all_cpu_backtrace=1 and loglevel=5 (the
#     kernel's stack dumps are KERN_DEFAULT, printed from console level 5 on; loglevel=4 hid them);
#   - a lock-up ends the boot within a minute instead of after RIG_TIMEOUT: the host watches the
#     console for "soft lockup" / "rcu ... stall"; when the guest's user space prints nothing more
#     for RIG_LOCKUP_WAIT seconds (60) after such a report, it stops qemu, keeps that log (every
#     CPU's backtrace is in it) as $LOG.lockup-N, prints its summary and boots again
#     (RIG_LOCKUP_RETRIES times, default 1); a report the guest carries on after is only counted;
#   - RIG_APPEND replaces the kernel's log options, RIG_ACCEL=kvm tries KVM first (TCG if KVM fails).
#
# Env (as the shared rig): RIG_CACHE (kernel .deb + extracted tree, default /tmp/cg2rig/cache), RIG_WORK
# (initramfs build dir + console log, default /tmp/cg2rig/work), ANCHOR_BIN (default
# /usr/local/bin/anchor), ANCHOR_BUSYBOX_TAR (default out/busybox-rootfs.tar of the checkout it is run
# from), RIG_LOG (console log path), RIG_TIMEOUT (seconds for one boot, default 1200), RIG_KERNEL_PKG
# (default linux-image-cloud-amd64), RIG_INIT (guest init script, default cgroupv2-guest-init.sh next
# to this file). Added: RIG_APPEND (default "quiet loglevel=5 softlockup_all_cpu_backtrace=1
# softlockup_panic=0 hung_task_timeout_secs=10"), RIG_LOCKUP_RETRIES (default 1), RIG_LOCKUP_WAIT
# (default 60), RIG_ACCEL (tcg or kvm, default tcg), RIG_KVM_PROBE (seconds a KVM boot has to reach
# the guest init, default 60).
# Exit status: 0 when the guest printed "SUMMARY … fail=0", 1 otherwise, 3 when every boot locked up.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${RIG_CACHE:-/tmp/cg2rig/cache}
WORK=${RIG_WORK:-/tmp/cg2rig/work}
ANCHOR_BIN=${ANCHOR_BIN:-/usr/local/bin/anchor}
BB_TAR=${ANCHOR_BUSYBOX_TAR:-$PWD/out/busybox-rootfs.tar}
LOG=${RIG_LOG:-$WORK/console.log}
INIT=${RIG_INIT:-$here/cgroupv2-guest-init.sh}
KPKG=${RIG_KERNEL_PKG:-linux-image-cloud-amd64}
MODULES="overlay veth bridge br_netfilter nf_tables nft_chain_nat nft_nat nft_masq nft_ct nft_fib_ipv4 nft_reject_ipv4 nft_compat"
mkdir -p "$CACHE" "$WORK"
t_start=$(date +%s.%N)

# --- host tools (apt only; qemu-system-x86 is the only package this needs beyond busybox-static)
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
[ -x /bin/busybox ] && /bin/busybox --list | grep -qx switch_root || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi

# --- kernel: apt-get download + dpkg-deb -x into the cache (never into /boot)
if [ ! -f "$CACHE/kernel.ready" ]; then
    rm -rf "$CACHE/kernel" "$CACHE"/*.deb
    ( cd "$CACHE"
      apt-get download "$KPKG" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true
      dep=$(dpkg-deb -f "$KPKG"_*.deb Depends | grep -o 'linux-image-[0-9][^ ,]*' | head -1)
      apt-get download "$dep" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true
      mkdir kernel && dpkg-deb -x "$dep"_*.deb kernel )
    kver=$(ls "$CACHE/kernel/lib/modules")
    busybox depmod -b "$CACHE/kernel" "$kver"
    echo "$kver" > "$CACHE/kernel.ready"
fi
kver=$(cat "$CACHE/kernel.ready")
kdir=$CACHE/kernel/lib/modules/$kver
vmlinuz=$CACHE/kernel/boot/vmlinuz-$kver

# --- initramfs: busybox, anchor + glibc, nft + its libs, the module closure, the busybox tar.
# Rebuilt every run (≈2 s) so a new anchor binary is always picked up.
root=$WORK/initramfs
rm -rf "$root"; mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,proc,sys,dev,run,tmp,payload,var/lib,root}
cp /bin/busybox "$root/bin/busybox"
for a in $(/bin/busybox --list); do [ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"; done
cp "$INIT" "$root/init"; chmod 755 "$root/init"
cp "$ANCHOR_BIN" "$root/usr/local/bin/anchor"
cp "$BB_TAR" "$root/payload/busybox-rootfs.tar"
bins=("$root/usr/local/bin/anchor")
if command -v nft >/dev/null; then cp "$(command -v nft)" "$root/usr/sbin/nft"; bins+=("$root/usr/sbin/nft"); fi
for b in "${bins[@]}"; do
    ldd "$b" | grep -o '/[^ ]*' | while read -r lib; do
        mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"
    done
done
# .NET dlopens OpenSSL at run time (import/ps hash with it: "No usable version of libssl was found")
for lib in libssl.so.3 libcrypto.so.3 libz.so.1; do
    src=$(ls /usr/lib/x86_64-linux-gnu/$lib /lib/x86_64-linux-gnu/$lib 2>/dev/null | head -1) || true
    [ -n "$src" ] && { mkdir -p "$root/lib/x86_64-linux-gnu"; cp -L "$src" "$root/lib/x86_64-linux-gnu/$lib"; }
done
[ -e "$root/lib64/ld-linux-x86-64.so.2" ] || { mkdir -p "$root/lib64"; cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"; }
mkdir -p "$root/lib/modules/$kver"
cp "$kdir"/modules.{dep,alias,symbols,builtin,order} "$root/lib/modules/$kver/" 2>/dev/null || true
for m in $MODULES; do
    line=$(grep -E "/$m\.ko:" "$kdir/modules.dep" || true)
    [ -n "$line" ] || { echo "rig: module $m not in $kver (builtin?)" >&2; continue; }
    for f in $(echo "$line" | tr -d ':'); do mkdir -p "$root/lib/modules/$kver/$(dirname "$f")"; cp "$kdir/$f" "$root/lib/modules/$kver/$f"; done
done
echo "$MODULES" > "$root/etc/rig-modules"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
printf 'nameserver 127.0.0.1\n' > "$root/etc/resolv.conf"
printf '127.0.0.1 localhost\n' > "$root/etc/hosts"
echo cg2guest > "$root/etc/hostname"
( cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null ) > "$WORK/initramfs.cpio"
t_built=$(date +%s.%N)

# --- boot on a pure cgroup v2 hierarchy; the guest's console goes to $LOG
APPEND=${RIG_APPEND:-quiet loglevel=5 softlockup_all_cpu_backtrace=1 softlockup_panic=0 hung_task_timeout_secs=10}
LOCKUP='BUG: soft lockup|rcu: INFO: rcu_[a-z]* (self-)?detected stall'
echo "rig: kernel $kver, initramfs $(du -h "$WORK/initramfs.cpio" | cut -f1), log $LOG"

# boot ACCEL: runs one guest; its outcome in $outcome: done (qemu ended by itself), lockup (killed
# after a soft lockup or RCU stall report with no progress since, log kept), noboot (a KVM boot that
# never reached the init). A report followed by progress is counted in $alarms and the boot goes on:
# the guest only stalled (one vCPU thread not run by the host while the other ran, for one; a stop
# of the whole qemu process is invisible to the guest's clock and reports nothing).
boot() {
    local accel=$1 cpu=max waited=0 seen=0 lines=0 pid
    [ "$accel" = kvm ] && cpu=host
    timeout -s KILL "${RIG_TIMEOUT:-1200}" qemu-system-x86_64 -accel "$accel" -cpu "$cpu" -m 2048 -smp 2 \
        -nographic -no-reboot -nic none \
        -kernel "$vmlinuz" -initrd "$WORK/initramfs.cpio" \
        -append "console=ttyS0 cgroup_no_v1=all $APPEND panic=-1 rdinit=/init" \
        </dev/null >"$LOG" 2>&1 &
    pid=$!
    outcome=done
    while kill -0 "$pid" 2>/dev/null; do
        sleep 2; waited=$((waited + 2))
        if [ "$seen" = 0 ] && [ "$(grep -Ec "$LOCKUP" "$LOG")" -gt "$alarms" ]; then
            seen=$waited; lines=$(user_lines)
            # A starved guest and a locked-up one print the same reports: the host's load tells them apart.
            echo "rig: a lock-up report after ${waited}s of this boot; host load average $(cut -d' ' -f1-3 /proc/loadavg)"
        elif [ "$seen" != 0 ] && [ "$(user_lines)" -gt "$lines" ]; then
            # The guest's user space printed again: it was stalled, not locked up.
            seen=0; alarms=$(grep -Ec "$LOCKUP" "$LOG")
        elif [ "$seen" != 0 ] && [ $((waited - seen)) -ge "${RIG_LOCKUP_WAIT:-60}" ]; then
            # Every CPU's backtrace and a few repeats are in the log by then. TERM to timeout, which
            # passes it on to qemu (KILL would leave qemu running).
            outcome=lockup; kill -TERM "$pid" 2>/dev/null; break
        fi
        if [ "$accel" = kvm ] && [ "$waited" -ge "${RIG_KVM_PROBE:-60}" ] && ! grep -q '=== RIG: stage2' "$LOG"; then
            outcome=noboot; kill -TERM "$pid" 2>/dev/null; break
        fi
    done
    rc=0; wait "$pid" || rc=$?
    tr -d '\r' < "$LOG" > "$LOG.tmp" && mv "$LOG.tmp" "$LOG"
    if [ "$accel" = kvm ] && [ "$outcome" = done ] && ! grep -q '=== RIG: stage2' "$LOG"; then
        outcome=noboot
    fi
}

# The console lines the guest's user space printed (the kernel's start with "[ uptime]").
user_lines() { grep -vc '^\[' "$LOG" || true; }

accel=${RIG_ACCEL:-tcg}
lockups=0
alarms=0
t_qemu=$(date +%s.%N)
while :; do
    alarms=0
    boot "$accel"
    if [ "$outcome" = noboot ]; then
        echo "rig: KVM did not boot the guest (qemu rc=$rc: $(grep -m1 -iE 'error|assert' "$LOG" || echo 'no guest output')); TCG instead"
        accel=tcg; t_qemu=$(date +%s.%N); continue
    fi
    [ "$outcome" = lockup ] || break
    lockups=$((lockups + 1))
    mv "$LOG" "$LOG.lockup-$lockups"
    echo "rig: the guest locked up (log kept: $LOG.lockup-$lockups); last step and the reports:"
    grep -E '^----- STEP' "$LOG.lockup-$lockups" | tail -1 || true
    grep -E "$LOCKUP" "$LOG.lockup-$lockups" | head -6 || true
    if [ "$lockups" -gt "${RIG_LOCKUP_RETRIES:-1}" ]; then
        echo "rig: gave up after $lockups lock-ups"
        exit 3
    fi
    echo "rig: booting again ($lockups of ${RIG_LOCKUP_RETRIES:-1} retries)"
    t_qemu=$(date +%s.%N)
done
t_end=$(date +%s.%N)
grep -E '^(=== RIG|----- RESULT)' "$LOG" || true
awk -v a="$t_start" -v b="$t_built" -v q="$t_qemu" -v e="$t_end" -v rc="$rc" -v acc="$accel" -v l="$lockups" \
    'BEGIN{printf "rig: prepare %.1fs, qemu start->poweroff %.1fs, total %.1fs (qemu rc=%s, %s, lock-ups before this boot: %s)\n", b-a, e-q, e-a, rc, acc, l}'
if [ "$alarms" != 0 ]; then
    echo "rig: $alarms soft lockup/RCU stall report(s) in this boot, but the guest went on (a stall, not a lock-up): see $LOG"
fi
grep -q 'SUMMARY pass=[0-9]* fail=0 ' "$LOG"
