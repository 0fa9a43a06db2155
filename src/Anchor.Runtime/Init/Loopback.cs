using System.Runtime.InteropServices;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Init;

/// <summary>
/// Brings up <c>lo</c> in a fresh network namespace (netdevice(7): SIOCGIFFLAGS/SIOCSIFFLAGS on any socket),
/// so that a --network none container still reaches 127.0.0.1 as docker's does.
/// </summary>
public static unsafe partial class Loopback
{
    private const int AF_INET = 2;
    private const int SOCK_DGRAM = 2;
    private const int SOCK_CLOEXEC = 0x80000;
    private const nuint SIOCGIFFLAGS = 0x8913;
    private const nuint SIOCSIFFLAGS = 0x8914;
    private const short IFF_UP = 0x1;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    public static void Up()
    {
        var fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        Sys.Check(fd, "socket");
        try
        {
            // struct ifreq: char ifr_name[16]; union { short ifr_flags; ... } (40 bytes on x86_64).
            byte* ifreq = stackalloc byte[40];
            new Span<byte>(ifreq, 40).Clear();
            ifreq[0] = (byte)'l';
            ifreq[1] = (byte)'o';
            Sys.Check(LibC.ioctl(fd, SIOCGIFFLAGS, (nint)ifreq), "ioctl SIOCGIFFLAGS", "lo");
            *(short*)(ifreq + 16) |= IFF_UP;
            Sys.Check(LibC.ioctl(fd, SIOCSIFFLAGS, (nint)ifreq), "ioctl SIOCSIFFLAGS", "lo");
        }
        finally
        {
            LibC.close(fd);
        }
    }
}
