using System.Net;
using System.Net.Sockets;

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

    private static bool ProbeListenable()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            socket.Listen(1);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
