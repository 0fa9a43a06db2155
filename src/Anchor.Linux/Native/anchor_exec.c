/*
 * The only C in Anchor: the last steps of every container process, in the one place where no
 * managed code can run.
 *
 * Why C: a .NET process is multithreaded before Main, so a forked child must never run managed
 * code (it can block forever on a lock or GC futex held by a thread that does not exist in the
 * child; docs/linux-from-dotnet.md). posix_spawn(3) runs no managed code either, but its file
 * actions cannot wait for a launcher that may die (a blocked open(2) of a FIFO never notices),
 * cannot drop privileges after the process has been placed in its cgroup, and cannot install a
 * seccomp filter last before execve. This file does exactly that and nothing else: every
 * decision (which ids, which capabilities, which filter) is made in C# and handed over in
 * struct anchor_exec; this file only executes it, with raw system calls.
 *
 * Two entry points:
 *   anchor_spawn()  clone(CLONE_VM|CLONE_VFORK) a child of the calling thread (so it inherits that
 *                   thread's namespaces, root and working directory), which reports that it exists,
 *                   waits at its gate (a pipe: one byte = go, end of file = the launcher is gone, so
 *                   it exits instead of lingering), then runs the exec tail.
 *   anchor_exec()   the exec tail in the calling thread (the re-executed init stage and exec-init).
 *   anchor_userns_start() / anchor_userns_finish()  a child born in a new user namespace (with the
 *                   container's other new namespaces inside it) that waits while the launcher
 *                   writes its maps and opens its namespaces (--userns): CLONE_NEWUSER is refused
 *                   to unshare(2) and setns(2) in a multithreaded process, so only a child can.
 *   A spawned child given a user namespace (userns_fd) joins it before it reports ready.
 *
 * The exec tail, in this order (runc's standard_init_linux.go and youki's init/process.rs):
 *   signal dispositions to default -> new session keyring -> private cgroup namespace ->
 *   session and controlling terminal -> oom_score_adj -> rlimits -> seccomp (without no_new_privs it needs CAP_SYS_ADMIN, so it
 *   comes before the drop) -> bounding set -> groups, gid, uid -> capability sets -> ambient ->
 *   no_new_privs -> seccomp (with no_new_privs: last) -> empty signal mask -> execve.
 * A spawned child without no_new_privs joins the keyring, makes its cgroup namespace (only when it
 * has joined its cgroup itself, from the "tasks" files it was given) and installs the early filter
 * before it waits at its gate: same order, and the cost of these steps (the filter's verification
 * and JIT above all) overlaps with the launcher's own setup.
 * Credentials are changed with raw system calls: glibc's setresuid()/setgroups() broadcast to
 * every thread of the process (nptl setxid), which is wrong for the init stage and undefined in a
 * CLONE_VM child that shares the parent's thread list.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/keyctl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ANCHOR_SETSID 0x1      /* setsid(2) */
#define ANCHOR_CTTY 0x2        /* stdin becomes the controlling terminal (TIOCSCTTY), after setsid */
#define ANCHOR_CGROUPNS 0x4    /* unshare(CLONE_NEWCGROUP): rooted at the cgroup the process is in now */
#define ANCHOR_NNP 0x8         /* PR_SET_NO_NEW_PRIVS */
#define ANCHOR_KEYRING 0x10    /* join a new anonymous session keyring (keyctl(2)) */
#define ANCHOR_CAPS 0x20       /* apply the capability sets (else leave them as the uid change does) */
#define ANCHOR_GROUPS 0x40     /* set the supplementary groups */
#define ANCHOR_OOM 0x80        /* write oom_score_adj to /proc/self/oom_score_adj */

/* Which step failed (reported with the errno). Keep in sync with ExecStep.cs. */
enum anchor_step {
    STEP_NONE = 0, STEP_SIGNALS, STEP_FDS, STEP_READY, STEP_GATE, STEP_KEYRING, STEP_CGROUPNS,
    STEP_SETSID, STEP_CTTY, STEP_STDIO, STEP_SECCOMP, STEP_BOUNDING, STEP_SETGROUPS, STEP_SETRESGID,
    STEP_SETRESUID, STEP_CAPSET, STEP_AMBIENT, STEP_NNP, STEP_SIGMASK, STEP_EXECVE, STEP_CLONE,
    STEP_STACK, STEP_OOM, STEP_RLIMIT, STEP_CGROUP, STEP_USERNS,
};

/* Laid out for C# (AnchorExec.cs): fixed-size fields, 8-byte pointers. */
struct anchor_exec {
    const char *path;
    char *const *argv;
    char *const *envp;
    const uint32_t *groups;
    const struct sock_filter *filter; /* seccomp program, NULL for none */
    uint64_t bounding, effective, permitted, inheritable, ambient;
    int32_t stdio[3];                 /* descriptors for 0, 1, 2; -1 keeps what is there */
    uint32_t uid, gid;
    int32_t ngroups;
    uint32_t flags;
    uint32_t filter_len;              /* instructions */
    uint32_t filter_flags;            /* SECCOMP_FILTER_FLAG_* */
    int32_t last_cap;                 /* /proc/sys/kernel/cap_last_cap */
    volatile int32_t error;           /* out: errno of the failed step */
    volatile int32_t step;            /* out: enum anchor_step */
    int32_t *trace;                   /* tests: when set, steps are recorded here instead of made */
    int32_t trace_capacity;
    int32_t trace_count;              /* out: steps recorded */
    const uint64_t *rlimits;          /* nrlimits triples: resource, soft, hard (RLIM_INFINITY = ~0) */
    int32_t nrlimits;
    int32_t oom_score_adj;            /* with ANCHOR_OOM */
    volatile int32_t detail;          /* out: the rlimit resource that failed */
};

struct anchor_spawn {
    struct anchor_exec *exec;
    int32_t ready_fd;     /* write end: one byte once the child waits at the gate */
    int32_t gate_fd;      /* read end: one byte lets it go on; end of file makes it exit */
    volatile int32_t pid; /* the child's pid, written by the kernel before the child runs */
    int32_t ncgroup_fds;
    const int32_t *cgroup_fds; /* cgroup v1 "tasks" files, open for writing: the child joins them itself */
    int32_t userns_fd;    /* a user namespace the child joins (setns(2)) before it reports ready; -1: none */
};

/* The maker of a container's user namespace (anchor_userns_start): a child born in a new user
 * namespace and, with it, the container's other new namespaces, which are then owned by it. */
struct anchor_userns {
    int32_t clone_flags;  /* CLONE_NEW* made at the clone, CLONE_NEWUSER added (never CLONE_NEWPID) */
    int32_t ready_fd;     /* write end: one byte once the namespaces exist */
    int32_t gate_fd;      /* read end: end of file lets the child exit */
    volatile int32_t error;
    volatile int32_t step;
    void *stack;          /* freed by anchor_userns_finish once the child was reaped */
};

/* At most this many cgroup files (v1 has 13 controllers and the named hierarchies). */
#define ANCHOR_MAX_CGROUP_FDS 32

/* The kernel's struct sigaction for rt_sigaction(2), which glibc's wrapper refuses for its own
 * internal signals (32, 33). */
struct kernel_sigaction {
    void *handler;
    unsigned long flags;
    void *restorer;
    uint64_t mask;
};

/* The test seam: with e->trace set, a step is recorded instead of made (the order of the tail is
 * then a unit test without root: ExecTailOrderTests). Evaluates to 0, "succeeded". */
static int traced(struct anchor_exec *e, int step)
{
    if (e->trace_count < e->trace_capacity)
        e->trace[e->trace_count] = step;
    e->trace_count++;
    return 0;
}

#define DO(e, step, call) ((e)->trace != NULL ? traced((e), (step)) : (int)(call))

static int fail(struct anchor_exec *e, int step)
{
    e->error = errno;
    e->step = step;
    return -1;
}

static int set_all_signals_default(int only_ignored)
{
    struct kernel_sigaction dfl = { .handler = SIG_DFL };
    for (int sig = 1; sig <= 64; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP)
            continue;
        if (only_ignored) {
            struct kernel_sigaction old;
            if (syscall(SYS_rt_sigaction, sig, NULL, &old, 8) != 0)
                return -1;
            if (old.handler != SIG_IGN)
                continue;
        }
        if (syscall(SYS_rt_sigaction, sig, &dfl, NULL, 8) != 0 && errno != EINVAL)
            return -1;
    }
    return 0;
}

/* The spec's oom_score_adj, as runc writes it for the container's process (proc(5)); lowering it
 * needs CAP_SYS_RESOURCE, so it comes before the credentials are dropped. */
static int write_oom_score_adj(int value)
{
    char text[16];
    int len = 0;
    unsigned int magnitude = value < 0 ? (unsigned int)-value : (unsigned int)value;
    char digits[12];
    int n = 0;
    do {
        digits[n++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude > 0);
    if (value < 0)
        text[len++] = '-';
    while (n > 0)
        text[len++] = digits[--n];
    int fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t written = write(fd, text, (size_t)len);
    int saved = errno;
    close(fd);
    errno = saved;
    return written == len ? 0 : -1;
}

/* The spec's rlimits (setrlimit(2) through prlimit64 on this process): raising a hard limit above
 * the current one needs CAP_SYS_RESOURCE, so this too comes before the drop; runc reports which
 * resource failed ("error setting rlimit type N"), and so does e->detail. */
static int set_rlimits(struct anchor_exec *e)
{
    for (int i = 0; i < e->nrlimits; i++) {
        uint64_t limit[2] = { e->rlimits[3 * i + 1], e->rlimits[3 * i + 2] };
        if (DO(e, STEP_RLIMIT, syscall(SYS_prlimit64, 0, (int)e->rlimits[3 * i], limit, NULL)) != 0) {
            e->detail = (int32_t)e->rlimits[3 * i];
            return -1;
        }
    }
    return 0;
}

static int install_seccomp(const struct anchor_exec *e)
{
    struct sock_fprog prog = { .len = (unsigned short)e->filter_len, .filter = (struct sock_filter *)e->filter };
    return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, e->filter_flags, &prog);
}

static int capset_v3(const struct anchor_exec *e)
{
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2];
    for (int half = 0; half < 2; half++) {
        data[half].effective = (uint32_t)(e->effective >> (32 * half));
        data[half].permitted = (uint32_t)(e->permitted >> (32 * half));
        data[half].inheritable = (uint32_t)(e->inheritable >> (32 * half));
    }
    return (int)syscall(SYS_capset, &header, data);
}

/* Whether seccomp goes on before the credentials are dropped: without no_new_privs installing a
 * filter needs CAP_SYS_ADMIN (seccomp(2)), as runc orders it too. */
static int seccomp_early(const struct anchor_exec *e)
{
    return e->filter != NULL && !(e->flags & ANCHOR_NNP);
}

static int join_keyring(struct anchor_exec *e)
{
    if (DO(e, STEP_KEYRING, syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL)) < 0 && errno != ENOSYS)
        return fail(e, STEP_KEYRING);
    return 0;
}

/* The exec tail. Returns only on failure, with e->error and e->step set. With pre_gate set, the
 * keyring, the cgroup namespace and the early filter are in place already (a spawned child does
 * them while it waits at its gate, in this same order). */
static int exec_tail(struct anchor_exec *e, int in_child, int pre_gate)
{
    int early = seccomp_early(e) && !pre_gate;

    /* A forked child still has the parent's handlers: they point into the parent's code and must
     * never run here (all signals are blocked until the very end). execve(2) resets caught signals
     * but keeps ignored ones, which the container must not inherit either (runc resets them all). */
    if (DO(e, STEP_SIGNALS, set_all_signals_default(!in_child)) != 0)
        return fail(e, STEP_SIGNALS);

    /* The host's session keyring (and through it root's user keyring) must not be reachable; runc
     * joins a fresh one for every container process. Before seccomp, which refuses keyctl. */
    if ((e->flags & ANCHOR_KEYRING) && !pre_gate && join_keyring(e) != 0)
        return -1;

    /* Rooted at the cgroup this process was moved into at the gate (cgroup_namespaces(7)); a
     * spawned child that joined its cgroup itself made it before the gate. */
    if ((e->flags & ANCHOR_CGROUPNS) && !pre_gate && DO(e, STEP_CGROUPNS, unshare(CLONE_NEWCGROUP)) != 0)
        return fail(e, STEP_CGROUPNS);

    for (int fd = 0; fd < 3; fd++) {
        if (e->stdio[fd] >= 0 && e->stdio[fd] != fd && DO(e, STEP_STDIO, dup2(e->stdio[fd], fd)) < 0)
            return fail(e, STEP_STDIO);
    }
    /* The sources themselves (a pty slave, pipe ends) must not stay open in the container. */
    for (int fd = 0; fd < 3 && e->trace == NULL; fd++) {
        if (e->stdio[fd] > 2)
            close(e->stdio[fd]);
    }
    if ((e->flags & ANCHOR_SETSID) && DO(e, STEP_SETSID, setsid()) < 0)
        return fail(e, STEP_SETSID);
    if ((e->flags & ANCHOR_CTTY) && DO(e, STEP_CTTY, ioctl(0, TIOCSCTTY, 0)) != 0)
        return fail(e, STEP_CTTY);

    if ((e->flags & ANCHOR_OOM) && DO(e, STEP_OOM, write_oom_score_adj(e->oom_score_adj)) != 0)
        return fail(e, STEP_OOM);
    if (set_rlimits(e) != 0)
        return fail(e, STEP_RLIMIT);

    if (early && DO(e, STEP_SECCOMP, install_seccomp(e)) != 0)
        return fail(e, STEP_SECCOMP);

    if (e->flags & ANCHOR_CAPS) {
        for (int cap = 0; cap <= e->last_cap && cap < 64; cap++) {
            if (!(e->bounding & (1ULL << cap)) && DO(e, STEP_BOUNDING, prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)) != 0)
                return fail(e, STEP_BOUNDING);
        }
    }
    if ((e->flags & ANCHOR_GROUPS) && DO(e, STEP_SETGROUPS, syscall(SYS_setgroups, (long)e->ngroups, e->groups)) != 0)
        return fail(e, STEP_SETGROUPS);
    if (DO(e, STEP_SETRESGID, syscall(SYS_setresgid, e->gid, e->gid, e->gid)) != 0)
        return fail(e, STEP_SETRESGID);
    /* Leaving uid 0 clears the permitted, effective and ambient sets (capabilities(7)): what docker
     * gives a non-root user. Only uid 0 gets the spec's sets. */
    if (DO(e, STEP_SETRESUID, syscall(SYS_setresuid, e->uid, e->uid, e->uid)) != 0)
        return fail(e, STEP_SETRESUID);
    if ((e->flags & ANCHOR_CAPS) && e->uid == 0) {
        if (DO(e, STEP_AMBIENT, prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)) != 0)
            return fail(e, STEP_AMBIENT);
        if (DO(e, STEP_CAPSET, capset_v3(e)) != 0)
            return fail(e, STEP_CAPSET);
        for (int cap = 0; cap <= e->last_cap && cap < 64; cap++) {
            if ((e->ambient & (1ULL << cap)) && DO(e, STEP_AMBIENT, prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0)) != 0)
                return fail(e, STEP_AMBIENT);
        }
    }

    if ((e->flags & ANCHOR_NNP) && DO(e, STEP_NNP, prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) != 0)
        return fail(e, STEP_NNP);
    if (e->filter != NULL && !seccomp_early(e) && DO(e, STEP_SECCOMP, install_seccomp(e)) != 0)
        return fail(e, STEP_SECCOMP);

    uint64_t none = 0;
    if (DO(e, STEP_SIGMASK, syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 8)) != 0)
        return fail(e, STEP_SIGMASK);
    if (e->trace != NULL) {
        traced(e, STEP_EXECVE);
        return 0;
    }
    execve(e->path, e->argv, e->envp);
    return fail(e, STEP_EXECVE);
}

/* Nothing: a call that makes a JIT-run process (the tests) load this library while its threads
 * still see the host's root; the first real call may come from a thread that has pivoted into a
 * container's (linked statically into the NativeAOT binary, it is a plain call there). */
int anchor_loaded(void)
{
    return 1;
}

int anchor_exec(struct anchor_exec *e)
{
    e->error = 0;
    e->step = STEP_NONE;
    e->detail = 0;
    return exec_tail(e, 0, 0);
}

/* Closes every descriptor from 3 up except the listed ones (close_range(2), Linux 5.9). */
static int close_others(const int *keep, int count)
{
    unsigned int from = 3;
    for (;;) {
        unsigned int next = ~0U;
        for (int i = 0; i < count; i++) {
            if (keep[i] >= (int)from && (unsigned int)keep[i] < next)
                next = (unsigned int)keep[i];
        }
        if (next != from && syscall(SYS_close_range, from, next == ~0U ? ~0U : next - 1, 0) != 0)
            return -1;
        if (next == ~0U)
            return 0;
        from = next + 1;
    }
}

static int child(void *arg)
{
    struct anchor_spawn *s = arg;
    struct anchor_exec *e = s->exec;
    /* The parent's handlers are still installed in this copy of its signal table: defaults first,
     * before anything could unblock a signal. */
    if (set_all_signals_default(0) != 0) {
        fail(e, STEP_SIGNALS);
        _exit(127);
    }

    /* Everything the launcher had open (lock files above all: a copied flock descriptor would keep
     * the lock held while this waits) goes, except stdio sources, the ready and gate pipes. */
    int keep[6 + ANCHOR_MAX_CGROUP_FDS] = { s->ready_fd, s->gate_fd, e->stdio[0], e->stdio[1], e->stdio[2], s->userns_fd };
    int ncgroup = s->ncgroup_fds < 0 ? 0 : s->ncgroup_fds > ANCHOR_MAX_CGROUP_FDS ? ANCHOR_MAX_CGROUP_FDS : s->ncgroup_fds;
    for (int i = 0; i < ncgroup; i++)
        keep[6 + i] = s->cgroup_fds[i];
    if (close_others(keep, 6 + ncgroup) != 0) {
        fail(e, STEP_FDS);
        _exit(127);
    }

    /* Into the container's cgroup before the ready signal, so that the launcher finds it there.
     * Writing "0" to a v1 "tasks" file moves the calling thread only, and for that the kernel skips
     * the global cgroup_threadgroup_rwsem (cgroup_procs_write_start: "If we migrate a single thread,
     * we don't care about threadgroup stability"), whose first writer after a quiet spell waits for
     * an RCU grace period (~7 ms here). This child is a process of one thread, so the thread's move
     * is the process's. Before the early seccomp filter, which a custom profile may make refuse write. */
    for (int i = 0; i < ncgroup; i++) {
        if (write(s->cgroup_fds[i], "0", 1) != 1) {
            fail(e, STEP_CGROUP);
            _exit(126);
        }
        close(s->cgroup_fds[i]);
    }

    /* The container's user namespace (--userns): joined here, where the process is a thread group
     * of one with its own fs_struct (setns(2) refuses a user namespace to anything else, so the
     * multithreaded launcher cannot join it). Root of the launcher's namespace has CAP_SYS_ADMIN in
     * it; once inside, this process has every capability there and none outside (user_namespaces(7)),
     * and the tail's setresuid/setresgid then pick the container's ids through its maps. After the
     * cgroup move (the "tasks" files were opened by host root) and before the keyring, the cgroup
     * namespace and seccomp, which then belong to the container's user namespace as runc's do. */
    if (s->userns_fd >= 0) {
        if (syscall(SYS_setns, s->userns_fd, CLONE_NEWUSER) != 0) {
            fail(e, STEP_USERNS);
            _exit(126);
        }
        close(s->userns_fd);
    }

    char byte = 1;
    if (write(s->ready_fd, &byte, 1) != 1) {
        fail(e, STEP_READY);
        _exit(127);
    }
    close(s->ready_fd);

    /* The keyring and the early filter while the launcher sets the container up (/proc, masks,
     * cgroup), after the ready signal so that the two overlap: the filter's verification and JIT
     * compile (~0.4 ms for docker's profile) then cost the start nothing. With a cgroup namespace
     * to make, only once the child is in its cgroup (it joined above): the namespace is made
     * first, since unshare needs CAP_SYS_ADMIN, which the filter refuses a container without it.
     * Not with no_new_privs (then it goes on last, after the ids). If the
     * launcher gives up meanwhile, the gate's end of file still ends this child. */
    int pre_gate = 0;
    if (seccomp_early(e) && (!(e->flags & ANCHOR_CGROUPNS) || ncgroup > 0)) {
        if ((e->flags & ANCHOR_KEYRING) && join_keyring(e) != 0)
            _exit(126);
        /* A child that joined its cgroup itself (above) is in it already: its cgroup namespace
         * can be rooted there now, before the filter that refuses unshare. */
        if ((e->flags & ANCHOR_CGROUPNS) && unshare(CLONE_NEWCGROUP) != 0) {
            fail(e, STEP_CGROUPNS);
            _exit(126);
        }
        if (install_seccomp(e) != 0) {
            fail(e, STEP_SECCOMP);
            _exit(126);
        }
        pre_gate = 1;
    }

    /* The gate: one byte from the launcher once /proc, the masks and the cgroup are in place. End of
     * file means every copy of the write end is closed: the launcher died (SIGKILL included), and
     * nobody will ever release this process, so it leaves instead of waiting forever. */
    ssize_t got;
    do {
        got = read(s->gate_fd, &byte, 1);
    } while (got < 0 && errno == EINTR);
    if (got != 1) {
        errno = got == 0 ? ECANCELED : errno;
        fail(e, STEP_GATE);
        _exit(255);
    }
    close(s->gate_fd);

    exec_tail(e, 1, pre_gate);
    _exit(e->step == STEP_EXECVE && e->error == ENOENT ? 127 : 126);
}

int anchor_spawn(struct anchor_spawn *s)
{
    struct anchor_exec *e = s->exec;
    e->error = 0;
    e->step = STEP_NONE;
    e->detail = 0;
    s->pid = 0;

    /* The child's own stack (CLONE_VM shares the address space); freed once it has exec'd or exited,
     * which CLONE_VFORK makes this thread wait for. */
    size_t size = 256 * 1024;
    void *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED)
        return fail(e, STEP_STACK);

    /* No signal handler of the parent may run in the child: block everything (raw, so glibc's
     * internal signals too) for the clone, as glibc's posix_spawn does. */
    uint64_t all = ~0ULL, old = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8);
    int pid = clone(child, (char *)stack + size, CLONE_VM | CLONE_VFORK | CLONE_PARENT_SETTID | SIGCHLD, s,
                    &s->pid);
    int clone_errno = errno;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8);
    munmap(stack, size);
    if (pid < 0) {
        errno = clone_errno;
        return fail(e, STEP_CLONE);
    }
    return pid;
}

static int userns_child(void *arg)
{
    struct anchor_userns *u = arg;
    /* Every signal stays blocked (the mask the clone inherited): no handler of the parent, whose
     * table this copy shares the code of, may run here; SIGKILL still ends it. */
    int keep[2] = { u->ready_fd, u->gate_fd };
    if (close_others(keep, 2) != 0) {
        u->step = STEP_FDS;
        _exit(127);
    }
    char byte = 1;
    if (write(u->ready_fd, &byte, 1) != 1)
        _exit(127);
    close(u->ready_fd);
    /* Alive until the launcher has written the maps and opened its namespaces: its end of file. */
    while (read(u->gate_fd, &byte, 1) > 0)
        ;
    _exit(0);
}

/* Starts the maker of a user namespace (struct anchor_userns): clone(CLONE_NEWUSER|...) makes the
 * user namespace first and the other namespaces inside it, owned by it, as runc's nsexec does
 * (clone(2): "the new user namespace is created first"), so that container root holds its
 * capabilities over its own network, uts, ipc and mount namespaces. CLONE_NEWUSER is refused to
 * unshare(2) in a multithreaded process, hence a child. CLONE_VM without CLONE_VFORK: the launcher
 * must run on, to write /proc/PID/uid_map while the child waits (only a writer privileged in the
 * parent namespace may write a map of many ids). Returns the pid, or -1 with u->error set. */
int anchor_userns_start(struct anchor_userns *u)
{
    u->error = 0;
    u->step = STEP_NONE;
    size_t size = 64 * 1024;
    void *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        u->error = errno;
        u->step = STEP_STACK;
        return -1;
    }
    u->stack = stack;
    uint64_t all = ~0ULL, old = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8);
    int pid = clone(userns_child, (char *)stack + size, CLONE_VM | CLONE_NEWUSER | u->clone_flags | SIGCHLD, u);
    int clone_errno = errno;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8);
    if (pid < 0) {
        munmap(stack, size);
        u->stack = NULL;
        u->error = clone_errno;
        u->step = STEP_CLONE;
        return -1;
    }
    return pid;
}

/* Frees the child's stack: only once the child has been reaped. */
void anchor_userns_finish(struct anchor_userns *u)
{
    if (u->stack != NULL)
        munmap(u->stack, 64 * 1024);
    u->stack = NULL;
}
