using System.Net;
using System.Net.Sockets;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Networks;

/// <summary>IPv6 host addresses of -p and whether this host can listen on IPv6 at all.</summary>
public static class HostIpv6
{
    private static readonly Lazy<bool> Listenable = new(ProbeListenable);

    /// <summary>
    /// Whether [::1]:0 can be listened on: false when the kernel has no IPv6 (ipv6.disable=1) or
    /// it is disabled on loopback. docker 20.10 (libnetwork IsV6Listenable) asks the same question
    /// before adding the implicit [::] binding, and publishes IPv4 only, silently, when it fails.
    /// </summary>
    public static bool IsListenable => Listenable.Value;

    /// <summary>The canonical text of an IPv6 address ("::1"), or null if <paramref name="text"/> is not one.</summary>
    public static string? Canonical(string text) =>
        text.Contains(':', StringComparison.Ordinal) && !text.Contains('%', StringComparison.Ordinal)
            && IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6
            ? address.ToString()
            : null;

    /// <summary>
    /// With raw system calls: a System.Net.Sockets socket starts .NET's socket engine thread, which
    /// would stay for the life of every monitor (the probe runs when its network plumbing is made).
    /// </summary>
    private static unsafe bool ProbeListenable()
    {
        var fd = LibC.socket(LibC.AF_INET6, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            // struct sockaddr_in6 (ipv6(7)): family, port 0, flow info, ::1, scope id.
            var address = stackalloc byte[28];
            new Span<byte>(address, 28).Clear();
            *(ushort*)address = LibC.AF_INET6;
            address[8 + 15] = 1;
            return LibC.bind(fd, address, 28) == 0 && LibC.listen(fd, 1) == 0;
        }
        finally
        {
            LibC.close(fd);
        }
    }
}
