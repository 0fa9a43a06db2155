using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// Calls glibc 2.36 does not wrap, made through syscall(2). Numbers are x86_64 (asm/unistd_64.h).
public static unsafe partial class LibC
{
    public const long SYS_pivot_root = 155;
    public const long SYS_getrandom = 318;
    public const long SYS_pidfd_open = 434;
    public const long SYS_close_range = 436;
    public const long SYS_pidfd_getfd = 438;

    public const uint CLOSE_RANGE_CLOEXEC = 1u << 2;

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    public static partial long syscall(long number, nint a1, nint a2, nint a3);

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial long syscall_pivot_root(long number, string newRoot, string putOld);

    public static int pivot_root(string newRoot, string putOld) => (int)syscall_pivot_root(SYS_pivot_root, newRoot, putOld);

    public static int close_range(uint first, uint last, uint flags) => (int)syscall(SYS_close_range, (nint)first, (nint)last, (nint)flags);

    public static int pidfd_open(int pid) => (int)syscall(SYS_pidfd_open, pid, 0, 0);

    public static int pidfd_getfd(int pidfd, int targetfd) => (int)syscall(SYS_pidfd_getfd, pidfd, targetfd, 0);

    public static nint getrandom(byte* buf, nint len) => (nint)syscall(SYS_getrandom, (nint)buf, len, 0);
}
