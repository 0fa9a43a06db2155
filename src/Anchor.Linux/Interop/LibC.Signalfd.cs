using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/signalfd.h: blocked signals read from a descriptor (signalfd(2)), polled with the others.
public static unsafe partial class LibC
{
    public const int SFD_NONBLOCK = 0x800;
    public const int SFD_CLOEXEC = 0x80000;

    /// <summary>struct signalfd_siginfo is 128 bytes; ssi_signo is its first field.</summary>
    public const int SignalfdSiginfoSize = 128;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int signalfd(int fd, void* mask, int flags);
}
