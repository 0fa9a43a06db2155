using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// linux/openat2.h: openat2(2) (Linux 5.6), made through syscall(2) since glibc 2.36 has no wrapper.
// RESOLVE_IN_ROOT resolves every component as if dirfd were the process root: ".." stops there and
// absolute symlinks restart there, which is what a container path means seen from the host.
public static unsafe partial class LibC
{
    public const long SYS_openat2 = 437;

    public const ulong RESOLVE_NO_XDEV = 0x01;
    public const ulong RESOLVE_NO_MAGICLINKS = 0x02;
    public const ulong RESOLVE_NO_SYMLINKS = 0x04;
    public const ulong RESOLVE_BENEATH = 0x08;
    public const ulong RESOLVE_IN_ROOT = 0x10;

    /// <summary>struct open_how (openat2(2)): 24 bytes, the size is passed along for extensibility.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow
    {
        public ulong flags;
        public ulong mode;
        public ulong resolve;
    }

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long syscall_openat2(long number, nint dirfd, string path, OpenHow* how, nint size);

    public static int openat2(int dirfd, string path, OpenHow* how) =>
        (int)syscall_openat2(SYS_openat2, dirfd, path, how, sizeof(OpenHow));
}
