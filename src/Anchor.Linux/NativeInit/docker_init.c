/*
 * docker-init for `anchor run --init`: the container's PID 1 that starts the user's command as
 * its only child, forwards the signals it receives to that child and reaps every process that is
 * re-parented to it (orphans), then exits with the child's status. It does what tini does as
 * docker's docker-init (tini's README, "Using Tini"; its signal and exit-code rules) and is written
 * here from those semantics.
 *
 * Why a separate static program, embedded in the anchor binary (Anchor.Linux DockerInit) and
 * bind-mounted read-only at /sbin/docker-init, rather than the anchor binary itself: the NativeAOT
 * binary is dynamically linked against the host's glibc (PT_INTERP /lib64/ld-linux-x86-64.so.2),
 * which is resolved inside the container's root after pivot_root, and an image (busybox, alpine,
 * scratch) need not have it. A static program with no interpreter runs in any image.
 *
 * It runs inside the container with the container's confinement (the exec tail installed the
 * seccomp filter, capabilities, user and no_new_privs before execve), so a hostile container gains
 * nothing by controlling it: the init holds no descriptor, memory or privilege the container's own
 * processes lack. It allocates nothing per signal or per child, so signal floods and fork bombs cost
 * it only the kernel's own bounds (RLIMIT_SIGPENDING, pids.max).
 *
 * Usage (docker's): docker-init -- COMMAND [ARG...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Signals the kernel raises synchronously for a fault of the process itself: never blocked
 * (blocking them makes a fault loop forever) and never forwarded, as tini does. */
static const int synchronous[] = { SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGABRT, SIGTRAP, SIGSYS, SIGTTIN, SIGTTOU };

static void fail(const char *what, int err)
{
    fprintf(stderr, "docker-init: %s: %s\n", what, strerror(err));
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        puts("docker-init (anchor), tini-compatible");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--") == 0) {
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: docker-init -- COMMAND [ARG...]\n");
        return 1;
    }

    sigset_t waited, original;
    sigfillset(&waited);
    for (size_t i = 0; i < sizeof synchronous / sizeof synchronous[0]; i++) {
        sigdelset(&waited, synchronous[i]);
    }
    /* Blocked signals are queued even for a namespace's init (kernel/signal.c sig_ignored: a blocked
     * signal is never ignored), so SIGTERM from `anchor stop` and from inside both reach sigtimedwait. */
    if (sigprocmask(SIG_SETMASK, &waited, &original) < 0) {
        fail("sigprocmask", errno);
        return 1;
    }

    struct sigaction ignore = { .sa_handler = SIG_IGN }, ttin, ttou;
    sigaction(SIGTTIN, &ignore, &ttin);
    sigaction(SIGTTOU, &ignore, &ttou);

    pid_t child = fork();
    if (child < 0) {
        fail("fork", errno);
        return 1;
    }
    if (child == 0) {
        /* Its own process group, made the terminal's foreground group when there is a terminal
         * (Ctrl-C on a -t container then reaches the command, not the init); SIGTTOU is still
         * ignored here, so tcsetpgrp from what is yet a background group succeeds. */
        setpgid(0, 0);
        if (tcsetpgrp(STDIN_FILENO, getpgrp()) < 0 && errno != ENOTTY && errno != ENXIO && errno != EBADF) {
            fail("tcsetpgrp", errno);
            _exit(1);
        }
        sigaction(SIGTTIN, &ttin, NULL);
        sigaction(SIGTTOU, &ttou, NULL);
        sigprocmask(SIG_SETMASK, &original, NULL);
        execvp(argv[first], &argv[first]);
        int err = errno;
        fprintf(stderr, "docker-init: exec %s failed: %s\n", argv[first], strerror(err));
        /* The shell's codes, as tini returns them: 127 not found, 126 not executable. */
        _exit(err == ENOENT ? 127 : err == EACCES ? 126 : 1);
    }

    for (;;) {
        siginfo_t info;
        /* A bound on the wait: a SIGCHLD merged with another is still followed by a reap. */
        struct timespec tick = { .tv_sec = 1, .tv_nsec = 0 };
        int sig = sigtimedwait(&waited, &info, &tick);
        if (sig < 0 && errno != EAGAIN && errno != EINTR) {
            fail("sigtimedwait", errno);
            return 1;
        }
        if (sig > 0 && sig != SIGCHLD) {
            /* Forwarded to the child only (tini's default, without -g); a child already gone is no error. */
            if (kill(child, sig) < 0 && errno != ESRCH) {
                fail("kill", errno);
            }
        }

        int code = -1;
        for (;;) {
            int status;
            pid_t pid = waitpid(-1, &status, WNOHANG);
            if (pid <= 0) {
                break; /* none left to reap now (0), or no children at all (ECHILD) */
            }
            if (pid == child) {
                code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
        }
        if (code >= 0) {
            /* The child's status is the container's; whatever still runs is killed by the kernel
             * when the namespace's init exits (pid_namespaces(7)). */
            return code;
        }
    }
}
