/*
 * A syscall probe for the confinement tests: each argument names an attack from the confinement
 * issue; the probe tries it and prints "NAME: ok" or "NAME: ERRNO" (EPERM, ENOSYS, ENOKEY…).
 * Compiled statically by the tests and bind-mounted into a busybox container (which has no
 * compiler, keyctl or perf tools of its own).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *name_of(int e)
{
    switch (e) {
    case EPERM: return "EPERM";
    case ENOSYS: return "ENOSYS";
    case ENOKEY: return "ENOKEY";
    case EACCES: return "EACCES";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case EFAULT: return "EFAULT";
    case ESRCH: return "ESRCH";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    default: return strerror(e);
    }
}

static void report(const char *what, long result)
{
    if (result < 0)
        printf("%s: %s\n", what, name_of(errno));
    else
        printf("%s: ok\n", what);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "session-keyring")) {
            char buf[256] = "";
            long id = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
            if (id < 0) { report(a, id); continue; }
            long n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, id, buf, sizeof buf - 1);
            if (n < 0) { report(a, n); continue; }
            printf("%s: %s\n", a, buf);
        } else if (!strncmp(a, "request-key=", 12)) {
            report("request-key", syscall(SYS_request_key, "user", a + 12, NULL, 0));
        } else if (!strncmp(a, "search-session=", 15)) {
            report("search-session", syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, "user", a + 15, 0));
        } else if (!strncmp(a, "host-add-key=", 13)) {
            report("host-add-key", syscall(SYS_add_key, "user", a + 13, "host-secret", 11, KEY_SPEC_USER_KEYRING));
        } else if (!strncmp(a, "host-unlink-key=", 16)) {
            long key = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING, "user", a + 16, 0);
            report("host-unlink-key", key < 0 ? key : syscall(SYS_keyctl, KEYCTL_UNLINK, key, KEY_SPEC_USER_KEYRING));
        } else if (!strncmp(a, "read-user-key=", 14)) {
            char buf[64] = "";
            long key = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING, "user", a + 14, 0);
            long n = key < 0 ? key : syscall(SYS_keyctl, KEYCTL_READ, key, buf, sizeof buf - 1);
            if (n < 0) report("read-user-key", n); else printf("read-user-key: %s\n", buf);
        } else if (!strcmp(a, "add-key")) {
            report(a, syscall(SYS_add_key, "user", "from-container", "x", 1, KEY_SPEC_SESSION_KEYRING));
        } else if (!strcmp(a, "keyctl")) {
            report(a, syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0));
        } else if (!strcmp(a, "unshare-user")) {
            report(a, unshare(CLONE_NEWUSER));
        } else if (!strcmp(a, "userns-mount")) {
            if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) { report(a, -1); continue; }
            report(a, mount("none", "/tmp", "tmpfs", 0, NULL));
        } else if (!strcmp(a, "perf_event_open")) {
            struct perf_event_attr attr = { .type = PERF_TYPE_SOFTWARE, .size = sizeof attr, .config = PERF_COUNT_SW_CPU_CLOCK };
            report(a, syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
        } else if (!strcmp(a, "userfaultfd")) {
            report(a, syscall(SYS_userfaultfd, 0));
        } else if (!strcmp(a, "move_pages")) {
            report(a, syscall(SYS_move_pages, 0, 0, NULL, NULL, NULL, 0));
        } else if (!strcmp(a, "mbind")) {
            report(a, syscall(SYS_mbind, NULL, 0, 0, NULL, 0, 0));
        } else if (!strcmp(a, "kcmp")) {
            report(a, syscall(SYS_kcmp, getpid(), getpid(), 0, 0, 0));
        } else if (!strcmp(a, "process_vm_readv")) {
            char buf[8], src[8] = "x";
            struct iovec local = { buf, 1 }, remote = { src, 1 };
            report(a, syscall(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0));
        } else if (!strcmp(a, "personality-rie")) {
            report(a, syscall(SYS_personality, READ_IMPLIES_EXEC));
        } else if (!strcmp(a, "personality-query")) {
            report(a, syscall(SYS_personality, 0xffffffff));
        } else if (!strcmp(a, "open_tree")) {
            report(a, syscall(SYS_open_tree, AT_FDCWD, "/", 1 /* OPEN_TREE_CLONE */));
        } else if (!strcmp(a, "fsopen")) {
            report(a, syscall(SYS_fsopen, "tmpfs", 0));
        } else if (!strcmp(a, "clone3")) {
            report(a, syscall(SYS_clone3, NULL, 0));
        } else if (!strcmp(a, "seccomp-mode")) {
            /* The "Seccomp:" line of /proc/self/status: 0 none, 2 filter. */
            FILE *f = fopen("/proc/self/status", "r");
            char line[256];
            while (f != NULL && fgets(line, sizeof line, f) != NULL) {
                if (!strncmp(line, "Seccomp:", 8)) {
                    char *v = line + 8;
                    while (*v == ' ' || *v == '\t') v++;
                    v[strcspn(v, "\n")] = 0;
                    printf("%s: %s\n", a, v);
                }
            }
            if (f != NULL) fclose(f);
        } else if (!strcmp(a, "getpid")) {
            report(a, syscall(SYS_getpid));
        } else {
            printf("%s: unknown probe\n", a);
            return 2;
        }
    }
    return 0;
}
