using System.Net;
using System.Net.Sockets;

namespace Anchor.Network.Proxy;

/// <summary>The host side of a proxy: a socket bound to the published address.</summary>
internal static class ProxySocket
{
    public static Socket Bound(IPEndPoint frontend, SocketType type, ProtocolType protocol)
    {
        var socket = new Socket(frontend.AddressFamily, type, protocol);
        try
        {
            if (frontend.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // IPV6_V6ONLY: [::]:PORT takes IPv6 only; IPv4 on the same port is the nft DNAT's.
                socket.DualMode = false;
            }

            // SO_REUSEADDR: a connection of a previous run in TIME_WAIT does not block a restart.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(frontend);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
