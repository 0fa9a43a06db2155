using Anchor.Oci.Runtime;

namespace Anchor.Engine.Security;

/// <summary>
/// docker's default seccomp profile (moby/profiles seccomp/default.json as of v0.2.3, the version moby
/// vendors) as data in code: `anchor run` resolves it for each container without reading or parsing
/// a 13 KB JSON file. Everything not listed fails with EPERM; x86_64 also runs x86 and x32 programs.
/// To update it, change the lists here as default.json changes (docs/architecture.md, "Confinement:
/// seccomp"); <see cref="SeccompProfileResolver"/> applies the conditions.
/// </summary>
public static class DockerDefaultSeccompProfile
{
    private const string Allow = "SCMP_ACT_ALLOW";
    private const string Errno = "SCMP_ACT_ERRNO";

    public static SeccompProfile Profile { get; } = new()
    {
        DefaultAction = Errno,
        DefaultErrnoRet = 1,
        ArchMap =
        [
            new SeccompArchitecture { Architecture = "SCMP_ARCH_X86_64", SubArchitectures = ["SCMP_ARCH_X86", "SCMP_ARCH_X32"] },
            new SeccompArchitecture { Architecture = "SCMP_ARCH_AARCH64", SubArchitectures = ["SCMP_ARCH_ARM"] },
            new SeccompArchitecture { Architecture = "SCMP_ARCH_MIPS64", SubArchitectures = ["SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64N32"] },
            new SeccompArchitecture { Architecture = "SCMP_ARCH_MIPS64N32", SubArchitectures = ["SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64"] },
            new SeccompArchitecture { Architecture = "SCMP_ARCH_MIPSEL64", SubArchitectures = ["SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64N32"] },
            new SeccompArchitecture { Architecture = "SCMP_ARCH_MIPSEL64N32", SubArchitectures = ["SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64"] },
            new SeccompArchitecture { Architecture = "SCMP_ARCH_S390X", SubArchitectures = ["SCMP_ARCH_S390"] },
            new SeccompArchitecture { Architecture = "SCMP_ARCH_RISCV64" },
            new SeccompArchitecture { Architecture = "SCMP_ARCH_LOONGARCH64" },
        ],
        Syscalls =
        [
            new SeccompProfileSyscall
            {
                Names =
                [
                    "accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "cachestat", "capget",
                    "capset", "chdir", "chmod", "chown", "chown32", "clock_adjtime", "clock_adjtime64",
                    "clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64", "clock_nanosleep",
                    "clock_nanosleep_time64", "close", "close_range", "connect", "copy_file_range", "creat",
                    "dup", "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old",
                    "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2",
                    "execve", "execveat", "exit", "exit_group", "faccessat", "faccessat2", "fadvise64",
                    "fadvise64_64", "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchmodat2",
                    "fchown", "fchown32", "fchownat", "fcntl", "fcntl64", "fdatasync", "fgetxattr", "flistxattr",
                    "flock", "fork", "fremovexattr", "fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs",
                    "fstatfs64", "fsync", "ftruncate", "ftruncate64", "futex", "futex_requeue", "futex_time64",
                    "futex_wait", "futex_waitv", "futex_wake", "futimesat", "getcpu", "getcwd", "getdents",
                    "getdents64", "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32",
                    "getgroups", "getgroups32", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid",
                    "getppid", "getpriority", "getrandom", "getresgid", "getresgid32", "getresuid",
                    "getresuid32", "getrlimit", "get_robust_list", "getrusage", "getsid", "getsockname",
                    "getsockopt", "get_thread_area", "gettid", "gettimeofday", "getuid", "getuid32", "getxattr",
                    "getxattrat", "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch",
                    "io_cancel", "ioctl", "io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64",
                    "ioprio_get", "ioprio_set", "io_setup", "io_submit", "ipc", "kill", "landlock_add_rule",
                    "landlock_create_ruleset", "landlock_restrict_self", "lchown", "lchown32", "lgetxattr",
                    "link", "linkat", "listen", "listmount", "listxattr", "listxattrat", "llistxattr", "_llseek",
                    "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64", "madvise", "map_shadow_stack",
                    "membarrier", "memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat", "mknod",
                    "mknodat", "mlock", "mlock2", "mlockall", "mmap", "mmap2", "mprotect", "mq_getsetattr",
                    "mq_notify", "mq_open", "mq_timedreceive", "mq_timedreceive_time64", "mq_timedsend",
                    "mq_timedsend_time64", "mq_unlink", "mremap", "mseal", "msgctl", "msgget", "msgrcv",
                    "msgsnd", "msync", "munlock", "munlockall", "munmap", "name_to_handle_at", "nanosleep",
                    "newfstatat", "_newselect", "open", "openat", "openat2", "pause", "pidfd_open",
                    "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll",
                    "ppoll", "ppoll_time64", "prctl", "pread64", "preadv", "preadv2", "prlimit64",
                    "process_mrelease", "pselect6", "pselect6_time64", "pwrite64", "pwritev", "pwritev2", "read",
                    "readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom", "recvmmsg",
                    "recvmmsg_time64", "recvmsg", "remap_file_pages", "removexattr", "removexattrat", "rename",
                    "renameat", "renameat2", "restart_syscall", "riscv_hwprobe", "rmdir", "rseq", "rt_sigaction",
                    "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend",
                    "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sched_getaffinity",
                    "sched_getattr", "sched_getparam", "sched_get_priority_max", "sched_get_priority_min",
                    "sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64",
                    "sched_setaffinity", "sched_setattr", "sched_setparam", "sched_setscheduler", "sched_yield",
                    "seccomp", "select", "semctl", "semget", "semop", "semtimedop", "semtimedop_time64", "send",
                    "sendfile", "sendfile64", "sendmmsg", "sendmsg", "sendto", "setfsgid", "setfsgid32",
                    "setfsuid", "setfsuid32", "setgid", "setgid32", "setgroups", "setgroups32", "setitimer",
                    "setpgid", "setpriority", "setregid", "setregid32", "setresgid", "setresgid32", "setresuid",
                    "setresuid32", "setreuid", "setreuid32", "setrlimit", "set_robust_list", "setsid",
                    "setsockopt", "set_thread_area", "set_tid_address", "setuid", "setuid32", "setxattr",
                    "setxattrat", "shmat", "shmctl", "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd",
                    "signalfd4", "sigprocmask", "sigreturn", "socketcall", "socketpair", "splice", "stat",
                    "stat64", "statfs", "statfs64", "statmount", "statx", "symlink", "symlinkat", "sync",
                    "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time", "timer_create",
                    "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
                    "timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
                    "timerfd_settime", "timerfd_settime64", "times", "tkill", "truncate", "truncate64",
                    "ugetrlimit", "umask", "uname", "unlink", "unlinkat", "uretprobe", "utime", "utimensat",
                    "utimensat_time64", "utimes", "vfork", "vmsplice", "wait4", "waitid", "waitpid", "write",
                    "writev"
                ],
                Action = Allow,
            },
            new SeccompProfileSyscall
            {
                Names = ["process_vm_readv", "process_vm_writev", "ptrace"],
                Action = Allow,
                Includes = new SeccompFilter { MinKernel = new KernelVersion(4, 8) },
            },
            // socket(2) of every address family but AF_ALG (38) and AF_VSOCK (40).
            new SeccompProfileSyscall
            {
                Names = ["socket"],
                Action = Allow,
                Args = [Arg(0, 38, "SCMP_CMP_LT")],
            },
            new SeccompProfileSyscall
            {
                Names = ["socket"],
                Action = Allow,
                Args = [Arg(0, 39, "SCMP_CMP_EQ")],
            },
            new SeccompProfileSyscall
            {
                Names = ["socket"],
                Action = Allow,
                Args = [Arg(0, 40, "SCMP_CMP_GT")],
            },
            // personality(2): PER_LINUX, UNAME26, ADDR_NO_RANDOMIZE, both, and 0xffffffff (the query);
            // nothing else (READ_IMPLIES_EXEC would make every mapping executable).
            new SeccompProfileSyscall
            {
                Names = ["personality"],
                Action = Allow,
                Args = [Arg(0, 0, "SCMP_CMP_EQ")],
            },
            new SeccompProfileSyscall
            {
                Names = ["personality"],
                Action = Allow,
                Args = [Arg(0, 8, "SCMP_CMP_EQ")],
            },
            new SeccompProfileSyscall
            {
                Names = ["personality"],
                Action = Allow,
                Args = [Arg(0, 0x20000, "SCMP_CMP_EQ")],
            },
            new SeccompProfileSyscall
            {
                Names = ["personality"],
                Action = Allow,
                Args = [Arg(0, 0x20008, "SCMP_CMP_EQ")],
            },
            new SeccompProfileSyscall
            {
                Names = ["personality"],
                Action = Allow,
                Args = [Arg(0, 0xFFFFFFFF, "SCMP_CMP_EQ")],
            },
            // Calls that exist only on some architectures.
            new SeccompProfileSyscall
            {
                Names = ["sync_file_range2", "swapcontext"],
                Action = Allow,
                Includes = new SeccompFilter { Arches = ["ppc64le"] },
            },
            new SeccompProfileSyscall
            {
                Names =
                [
                    "arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush",
                    "set_tls"
                ],
                Action = Allow,
                Includes = new SeccompFilter { Arches = ["arm", "arm64"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["arch_prctl"],
                Action = Allow,
                Includes = new SeccompFilter { Arches = ["amd64", "x32"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["modify_ldt"],
                Action = Allow,
                Includes = new SeccompFilter { Arches = ["amd64", "x32", "x86"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr"],
                Action = Allow,
                Includes = new SeccompFilter { Arches = ["s390", "s390x"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["riscv_flush_icache"],
                Action = Allow,
                Includes = new SeccompFilter { Arches = ["riscv64"] },
            },
            // Calls allowed only with the capability that governs them.
            new SeccompProfileSyscall
            {
                Names = ["open_by_handle_at"],
                Action = Allow,
                Includes = new SeccompFilter { Caps = ["CAP_DAC_READ_SEARCH"] },
            },
            new SeccompProfileSyscall
            {
                Names =
                [
                    "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick",
                    "lookup_dcookie", "lsm_get_self_attr", "lsm_list_modules", "lsm_set_self_attr", "mount",
                    "mount_setattr", "move_mount", "open_tree", "perf_event_open", "quotactl", "quotactl_fd",
                    "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2", "unshare"
                ],
                Action = Allow,
                Includes = new SeccompFilter { Caps = ["CAP_SYS_ADMIN"] },
            },
            // Without CAP_SYS_ADMIN, clone(2) without any CLONE_NEW* flag (0x7E020000); s390 passes the
            // flags in the second argument.
            new SeccompProfileSyscall
            {
                Names = ["clone"],
                Action = Allow,
                Args = [Arg(0, 0x7E020000, "SCMP_CMP_MASKED_EQ")],
                Excludes = new SeccompFilter { Caps = ["CAP_SYS_ADMIN"], Arches = ["s390", "s390x"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["clone"],
                Action = Allow,
                Args = [Arg(1, 0x7E020000, "SCMP_CMP_MASKED_EQ")],
                Includes = new SeccompFilter { Arches = ["s390", "s390x"] },
                Excludes = new SeccompFilter { Caps = ["CAP_SYS_ADMIN"] },
            },
            // clone3(2) takes its flags in a structure a filter cannot read: ENOSYS, so that libc falls
            // back to clone(2), which the rule above checks.
            new SeccompProfileSyscall
            {
                Names = ["clone3"],
                Action = Errno,
                ErrnoRet = 38,
                Excludes = new SeccompFilter { Caps = ["CAP_SYS_ADMIN"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["reboot"],
                Action = Allow,
                Includes = new SeccompFilter { Caps = ["CAP_SYS_BOOT"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["chroot"],
                Action = Allow,
                Includes = new SeccompFilter { Caps = ["CAP_SYS_CHROOT"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["delete_module", "init_module", "finit_module"],
                Action = Allow,
                Includes = new SeccompFilter { Caps = ["CAP_SYS_MODULE"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["acct"],
                Action = Allow,
                Includes = new SeccompFilter { Caps = ["CAP_SYS_PACCT"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"],
                Action = Allow,
                Includes = new SeccompFilter { Caps = ["CAP_SYS_PTRACE"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["iopl", "ioperm"],
                Action = Allow,
                Includes = new SeccompFilter { Caps = ["CAP_SYS_RAWIO"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["settimeofday", "stime", "clock_settime", "clock_settime64"],
                Action = Allow,
                Includes = new SeccompFilter { Caps = ["CAP_SYS_TIME"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["vhangup"],
                Action = Allow,
                Includes = new SeccompFilter { Caps = ["CAP_SYS_TTY_CONFIG"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"],
                Action = Allow,
                Includes = new SeccompFilter { Caps = ["CAP_SYS_NICE"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["syslog"],
                Action = Allow,
                Includes = new SeccompFilter { Caps = ["CAP_SYSLOG"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["bpf"],
                Action = Allow,
                Includes = new SeccompFilter { Caps = ["CAP_BPF"] },
            },
            new SeccompProfileSyscall
            {
                Names = ["perf_event_open"],
                Action = Allow,
                Includes = new SeccompFilter { Caps = ["CAP_PERFMON"] },
            },
        ],
    };

    private static SpecSeccompArg Arg(uint index, ulong value, string op) => new() { Index = index, Value = value, Op = op };
}
