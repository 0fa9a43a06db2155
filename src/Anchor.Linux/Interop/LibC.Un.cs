using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/un.h: the unix socket address (unix(7)).
public static unsafe partial class LibC
{
    /// <summary>sizeof(sun_path): a socket path longer than 107 bytes cannot be bound or connected to (unix(7)).</summary>
    public const int SunPathLength = 108;

    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrUn
    {
        public ushort sun_family;
        public fixed byte sun_path[SunPathLength];
    }
}
