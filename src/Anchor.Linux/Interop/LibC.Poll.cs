using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// poll.h: waiting on several descriptors at once (poll(2)).
public static unsafe partial class LibC
{
    public const short POLLIN = 0x001;
    public const short POLLOUT = 0x004;
    public const short POLLERR = 0x008;
    public const short POLLHUP = 0x010;
    public const short POLLNVAL = 0x020;

    [StructLayout(LayoutKind.Sequential)]
    public struct Pollfd
    {
        public int fd;
        public short events;
        public short revents;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int poll(Pollfd* fds, nuint nfds, int timeout);
}
