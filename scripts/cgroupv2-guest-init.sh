#!/bin/sh
# Guest /init for the cgroup-v2 rig (busybox sh, no systemd). A copy of ../shared/tools/cgroupv2-guest-init.sh
# (read-only there) with the device checks (the dev-* steps) and docker's cgroup flags and update
# (the res-* steps) added: run it with
# scripts/cgroupv2-rig.sh (which sets RIG_INIT to this file). Stage 1 runs on the initramfs
# (rootfs), copies itself into a tmpfs and switch_roots there, because pivot_root(2) — which
# anchor uses for every container — refuses to work while / is the initramfs. Stage 2 mounts a
# pure cgroup v2 hierarchy (kernel booted with cgroup_no_v1=all), loads the few modules anchor
# needs (overlay, veth, bridge, nf_tables…), runs the anchor checks and powers off.
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

if [ "$1" != stage2 ]; then
    mount -t proc proc /proc
    mkdir -p /newroot
    mount -t tmpfs -o size=1600m,mode=755 tmpfs /newroot
    for d in /*; do
        case "$d" in /proc|/sys|/dev|/newroot) continue ;; esac
        cp -a "$d" /newroot/
    done
    mkdir -p /newroot/proc /newroot/sys /newroot/dev /newroot/run /newroot/tmp
    umount /proc
    exec switch_root /newroot /init stage2
fi

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
hostname cg2guest
ip link set lo up

T0=$(cut -d' ' -f1 /proc/uptime)
echo "=== RIG: stage2 at uptime ${T0}s, kernel $(uname -r)"
echo "=== RIG: cmdline: $(cat /proc/cmdline)"
echo "=== RIG: mounts with cgroup:"; grep cgroup /proc/mounts
echo "=== RIG: /proc/self/cgroup: $(cat /proc/self/cgroup | tr '\n' ' ')"
echo "=== RIG: cgroup.controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
for m in $(cat /etc/rig-modules); do modprobe "$m" || echo "=== RIG: modprobe $m failed"; done
# libseccomp rides in the payload tar (scripts/cgroupv2-rig.sh): anchor dlopens it to compile profiles.
tar -xf /payload/busybox-rootfs.tar -C / ./usr/lib/x86_64-linux-gnu/libseccomp.so.2 2>/dev/null \
    && echo "=== RIG: libseccomp in place" || echo "=== RIG: no libseccomp in the payload (run scripts/cgroupv2-rig.sh)"

STEP=0; PASS=0; FAIL=0
# step NAME EXPECTED_RC TIMEOUT CMD... : runs CMD, prints its output and rc, compares the rc.
step() {
    name=$1; want=$2; to=$3; shift 3
    STEP=$((STEP + 1))
    echo "----- STEP $STEP: $name  (expect rc=$want)"
    echo "\$ $*"
    s=$(cut -d' ' -f1 /proc/uptime)
    timeout -s KILL "$to" "$@" 2>&1
    rc=$?
    e=$(cut -d' ' -f1 /proc/uptime)
    if [ "$want" = any ] || [ "$rc" = "$want" ]; then res=PASS; PASS=$((PASS + 1)); else res=FAIL; FAIL=$((FAIL + 1)); fi
    echo "----- RESULT $STEP $name: rc=$rc $res ($(awk "BEGIN{printf \"%.1f\", $e-$s}")s)"
}

A=/usr/local/bin/anchor
step version 0 60 $A --version
step import 0 120 $A import --change 'CMD ["sh"]' /payload/busybox-rootfs.tar busybox:latest
step images 0 60 $A images
step run-echo 0 120 $A run --rm busybox echo hi
step run-network-none 0 120 $A run --rm --network none busybox sh -c 'echo hi-none; cat /proc/self/cgroup'
# device confinement: on v2 a BPF_PROG_TYPE_CGROUP_DEVICE program on the container's group. Writing to
# /dev/kmsg needs no capability, so only the allowlist refuses it (this guest's log is a throw-away one).
step dev-default-loop-refused 0 120 sh -c "$A run --rm busybox sh -c 'mknod /tmp/l b 7 0 && echo made && head -c 1 /tmp/l' > /tmp/dev.out 2>&1; cat /tmp/dev.out; grep -qx made /tmp/dev.out && grep -q 'Operation not permitted' /tmp/dev.out"
step dev-default-kmsg-refused 0 120 sh -c "$A run --rm busybox sh -c 'mknod /tmp/k c 1 11 && echo made && echo rig-kmsg-default > /tmp/k' > /tmp/dev.out 2>&1; cat /tmp/dev.out; grep -qx made /tmp/dev.out && grep -q 'Operation not permitted' /tmp/dev.out && ! dmesg | grep -q rig-kmsg-default"
step dev-default-devices-work 0 120 $A run --rm busybox sh -c 'echo x > /dev/null && head -c 4 /dev/zero | wc -c && head -c 4 /dev/urandom | wc -c && exec 3<> /dev/ptmx && echo ptmx-ok'
step dev-cgroup-rule-allows 0 120 sh -c "$A run --rm --device-cgroup-rule 'c 1:11 w' busybox sh -c 'mknod /tmp/k c 1 11 && echo rig-kmsg-allowed > /tmp/k && echo written' && dmesg | grep rig-kmsg-allowed"
step dev-device-flag 0 120 $A run --rm --device /dev/null:/dev/mynull:rw busybox sh -c 'ls -l /dev/mynull && echo x > /dev/mynull && echo mynull-ok'
step dev-exec-confined 0 120 sh -c "$A run -d --name devexec busybox sleep 60 >/dev/null && $A exec devexec sh -c 'mknod /tmp/l b 7 0 && head -c 1 /tmp/l' > /tmp/dev.out 2>&1; cat /tmp/dev.out; $A rm -f devexec >/dev/null; grep -q 'Operation not permitted' /tmp/dev.out"
step dev-privileged 0 120 sh -c "$A run --rm --privileged busybox sh -c 'grep -E \"^Cap(Eff|Bnd)\" /proc/self/status; mount | grep ^sysfs; mknod /tmp/k c 1 11 && echo rig-kmsg-privileged > /tmp/k && echo written' > /tmp/dev.out 2>&1; cat /tmp/dev.out; grep CapBnd /proc/self/status; b=\$(grep CapBnd /proc/self/status | cut -f2); grep -q \"CapEff:.\$b\" /tmp/dev.out && grep -q 'sysfs on /sys type sysfs (rw' /tmp/dev.out && grep -qx written /tmp/dev.out"
# cgroup view and confinement on a pure v2 host (the confinement issue): the container's own cgroup,
# read-only, at /sys/fs/cgroup; a private cgroup namespace by default (docker's v2 default), shown as
# "0::/"; --cgroupns host shows the host path; seccomp mode 2 in run, -d, exec.
step cg-view-own-limits 0 120 sh -c "$A run --rm --pids-limit 77 --memory 48m busybox sh -c 'cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/memory.max; touch /sys/fs/cgroup/x 2>&1; cat /proc/self/cgroup' > /tmp/cg.out 2>&1; cat /tmp/cg.out; grep -qx 77 /tmp/cg.out && grep -qx 50331648 /tmp/cg.out && grep -q 'Read-only file system' /tmp/cg.out && grep -qx '0::/' /tmp/cg.out"
step cg-namespace-host 0 120 sh -c "$A run --rm --cgroupns host busybox cat /proc/self/cgroup | tee /tmp/cg.out; grep -q '^0::/anchor/' /tmp/cg.out"
step seccomp-mode-2 0 120 sh -c "$A run --rm busybox grep -E '^Seccomp:' /proc/self/status | tee /tmp/sc.out; grep -q 'Seccomp:.2' /tmp/sc.out"
step seccomp-exec 0 120 sh -c "$A run -d --name scexec busybox sleep 60 >/dev/null && $A exec scexec grep -E '^Seccomp:' /proc/self/status > /tmp/sc.out; $A exec scexec cat /proc/self/cgroup >> /tmp/sc.out; $A rm -f scexec >/dev/null; cat /tmp/sc.out; grep -q 'Seccomp:.2' /tmp/sc.out && grep -qx '0::/' /tmp/sc.out"
step memory-oom 137 180 $A run --rm --memory 32m busybox sh -c 'cat /sys/fs/cgroup/memory.max 2>/dev/null; head -c 100m /dev/zero | tail'
step memory-in-container any 120 $A run --rm --memory 32m busybox sh -c 'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory.swap.max 2>&1; cat /proc/self/cgroup'
# busybox sh dies on its first failed fork: with pids.max=5 (sh + 4 sleeps) it must stop at "started 4"
step pids-limit 0 120 sh -c "$A run --rm --pids-limit 5 busybox sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 30 & echo started \$i; done' > /tmp/pids.out 2>&1; echo container-rc=\$?; cat /tmp/pids.out; grep -qx 'started 4' /tmp/pids.out && ! grep -qx 'started 5' /tmp/pids.out"
# anchor mounts no cgroupfs inside the container (same on a v1 host), so limits are read from the host side
step cpus-in-container any 120 $A run --rm --cpus 0.5 busybox sh -c 'ls /sys/fs/cgroup; cat /sys/fs/cgroup/cpu.max'
step nested-cgroup-run 0 120 sh -c "mkdir -p /sys/fs/cgroup/ci.slice && echo \$\$ > /sys/fs/cgroup/ci.slice/cgroup.procs && cat /proc/self/cgroup && $A run --rm --memory 48m --pids-limit 7 busybox cat /proc/self/cgroup"
# docker's cgroup flags on pure v2: memory.swap.max = swap - memory, memory.low for the reservation,
# cpu.weight through runc's conversion (512 -> 59, 256 -> 35), cpuset, --oom-kill-disable dropped with
# docker's warning, --cgroup-parent outside anchor/ (the parent stays, the container's group goes),
# and container update writing a running container's files and its record.
step res-flags 0 120 sh -c "$A run --rm --memory 64m --memory-swap 192m --memory-reservation 32m --cpu-shares 512 --cpuset-cpus 0 --cpuset-mems 0 busybox sh -c 'cd /sys/fs/cgroup; cat memory.max memory.swap.max memory.low cpu.weight cpuset.cpus cpuset.mems; grep Cpus_allowed_list /proc/self/status' > /tmp/res.out 2>&1; cat /tmp/res.out; grep -qx 67108864 /tmp/res.out && grep -qx 134217728 /tmp/res.out && grep -qx 33554432 /tmp/res.out && grep -qx 59 /tmp/res.out && grep -q 'Cpus_allowed_list:.0\$' /tmp/res.out"
step res-swap-unlimited 0 120 sh -c "$A run --rm --memory 64m --memory-swap -1 busybox cat /sys/fs/cgroup/memory.swap.max | tee /tmp/res.out; grep -qx max /tmp/res.out"
step res-oom-kill-disable-warns 0 120 sh -c "$A run --rm --oom-kill-disable --memory 32m busybox true > /tmp/res.out 2>&1; cat /tmp/res.out; grep -q 'Your kernel does not support OomKillDisable. OomKillDisable discarded.' /tmp/res.out"
step res-swap-below-memory 125 60 $A run --rm --memory 64m --memory-swap 32m busybox true
step res-cgroup-parent 0 120 sh -c "$A run --rm --cgroupns host --cgroup-parent /ci/jobs --pids-limit 9 busybox sh -c 'cat /proc/self/cgroup; cat /sys/fs/cgroup/pids.max' | tee /tmp/res.out; grep -q '^0::/ci/jobs/[0-9a-f]*\$' /tmp/res.out && grep -qx 9 /tmp/res.out && echo subtree: \$(cat /sys/fs/cgroup/ci/jobs/cgroup.subtree_control) && [ -z \"\$(ls -d /sys/fs/cgroup/ci/jobs/*/ 2>/dev/null)\" ] && rmdir /sys/fs/cgroup/ci/jobs /sys/fs/cgroup/ci"
step res-update-live 0 120 sh -c "$A run -d --name upd --memory 64m busybox sleep 600 >/dev/null && $A update --memory 96m --memory-swap 256m --memory-reservation 48m --cpu-shares 256 --cpus 0.5 --pids-limit 20 --cpuset-cpus 1 upd && $A exec upd sh -c 'cd /sys/fs/cgroup; cat memory.max memory.swap.max memory.low cpu.weight cpu.max pids.max cpuset.cpus' > /tmp/res.out; $A inspect -f '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.CpuShares}} {{.HostConfig.CpusetCpus}}' upd >> /tmp/res.out; $A update --memory 300m upd >> /tmp/res.out 2>&1; $A rm -f upd >/dev/null; cat /tmp/res.out; grep -qx 100663296 /tmp/res.out && grep -qx 167772160 /tmp/res.out && grep -qx 50331648 /tmp/res.out && grep -qx 35 /tmp/res.out && grep -qx '50000 100000' /tmp/res.out && grep -qx 20 /tmp/res.out && grep -qx 1 /tmp/res.out && grep -qx '100663296 268435456 256 1' /tmp/res.out && grep -q 'update the memoryswap at the same time' /tmp/res.out"
step run-d 0 120 $A run -d --name sleeper --memory 64m --pids-limit 5 --cpus 0.5 busybox sleep 600
step host-cgroup-tree 0 30 sh -c 'find /sys/fs/cgroup -maxdepth 3 -type d; for f in /sys/fs/cgroup/cgroup.subtree_control /sys/fs/cgroup/anchor/cgroup.subtree_control; do echo "$f: $(cat $f 2>&1)"; done; d=$(ls -d /sys/fs/cgroup/anchor/*/ | head -1); echo "dir=$d"; for f in cgroup.procs memory.max memory.current pids.max pids.current cpu.max cgroup.freeze; do echo "$f: $(cat $d$f 2>&1 | tr "\n" " ")"; done'
step host-limits 0 30 sh -c 'd=$(ls -d /sys/fs/cgroup/anchor/*/ | head -1); m=$(cat ${d}memory.max); p=$(cat ${d}pids.max); c=$(cat ${d}cpu.max); echo "memory.max=$m pids.max=$p cpu.max=$c"; [ "$m" = 67108864 ] && [ "$p" = 5 ] && [ "$c" = "50000 100000" ]'
step ps 0 60 $A ps
step stats 0 120 $A stats --no-stream
step pause 0 60 $A pause sleeper
step paused-state 0 60 sh -c "$A ps; d=\$(ls -d /sys/fs/cgroup/anchor/*/ | head -1); echo cgroup.freeze=\$(cat \${d}cgroup.freeze); grep frozen \${d}cgroup.events; $A inspect -f '{{.State.Status}} paused={{.State.Paused}}' sleeper"
step stats-paused 0 120 $A stats --no-stream
step unpause 0 60 $A unpause sleeper
step unpaused-state 0 60 sh -c "d=\$(ls -d /sys/fs/cgroup/anchor/*/ | head -1); echo cgroup.freeze=\$(cat \${d}cgroup.freeze); grep frozen \${d}cgroup.events; $A inspect -f '{{.State.Status}} paused={{.State.Paused}}' sleeper"
step top 0 60 $A top sleeper
step exec 0 60 $A exec sleeper sh -c 'echo exec-ok; cat /proc/self/cgroup'
step stop 0 120 $A stop -t 2 sleeper
step start 0 120 $A start sleeper
step rm-f 0 120 $A rm -f sleeper
step leftover-cgroups 0 30 sh -c 'find /sys/fs/cgroup/anchor -mindepth 1 -maxdepth 1 -type d | wc -l'
step ps-a-empty 0 60 $A ps -a

# rough TCG cost: 10 container starts per network mode and a CPU-bound loop (compare with the host)
step bench any 300 sh -c "for mode in none bridge; do s=\$(cut -d' ' -f1 /proc/uptime); for i in 1 2 3 4 5 6 7 8 9 10; do $A run --rm --network \$mode busybox true || echo fail; done; e=\$(cut -d' ' -f1 /proc/uptime); echo \"bench: 10 x run --rm --network \$mode: \$(awk \"BEGIN{print \$e-\$s}\")s\"; done; s=\$(cut -d' ' -f1 /proc/uptime); head -c 200m /dev/zero | sha256sum >/dev/null; e=\$(cut -d' ' -f1 /proc/uptime); echo \"bench: sha256 of 200 MiB: \$(awk \"BEGIN{print \$e-\$s}\")s\""
E=$(cut -d' ' -f1 /proc/uptime)
echo "=== RIG: SUMMARY pass=$PASS fail=$FAIL steps=$STEP; tests took $(awk "BEGIN{printf \"%.1f\", $E-$T0}")s, guest uptime ${E}s"
echo "=== RIG: DONE"
sync
poweroff -f
