using System.Net;
using System.Net.Sockets;
using System.Text;
using Anchor.Network.Proxy;

namespace Anchor.Network.Tests;

/// <summary>The IPv6 userland proxy against servers on 127.0.0.1 (a container's IPv4 address stands in).</summary>
public sealed class UserlandProxyTests
{
    private static bool HasIpv6 => File.Exists("/proc/net/if_inet6") && File.ReadAllText("/proc/net/if_inet6").Contains(" lo", StringComparison.Ordinal);

    [Fact]
    public async Task Tcp_RelaysBothWays_AndPassesTheHalfClose()
    {
        if (!HasIpv6)
        {
            return; // nothing to test: docker publishes IPv4 only there, as the allocator tests show
        }

        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var backend = (IPEndPoint)server.LocalEndpoint;
        var port = FreeIpv6Port(SocketType.Stream, ProtocolType.Tcp);
        using var proxy = new TcpProxy(new IPEndPoint(IPAddress.IPv6Any, port), backend);

        // The server reads until the client's half-close, then answers and closes.
        var serving = Task.Run(async () =>
        {
            using var peer = await server.AcceptSocketAsync();
            var request = await ReadToEnd(peer);
            await peer.SendAsync(Encoding.ASCII.GetBytes("got " + request));
            peer.Shutdown(SocketShutdown.Send);
            return ((IPEndPoint)peer.RemoteEndPoint!).Address;
        });

        using var client = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, port));
        await client.SendAsync(Encoding.ASCII.GetBytes("ping"));
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal("got ping", await ReadToEnd(client).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(IPAddress.Loopback, await serving);
    }

    [Fact]
    public async Task Tcp_BackendRefuses_ClientSeesTheConnectionClosed()
    {
        if (!HasIpv6)
        {
            return; // nothing to test: docker publishes IPv4 only there, as the allocator tests show
        }

        var closedPort = FreeIpv4Port();
        var port = FreeIpv6Port(SocketType.Stream, ProtocolType.Tcp);
        using var proxy = new TcpProxy(new IPEndPoint(IPAddress.IPv6Loopback, port), new IPEndPoint(IPAddress.Loopback, closedPort));
        using var client = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, port));
        Assert.Equal("", await ReadToEnd(client).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Udp_RelaysDatagramsAndReplies()
    {
        if (!HasIpv6)
        {
            return; // nothing to test: docker publishes IPv4 only there, as the allocator tests show
        }

        using var server = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var backend = (IPEndPoint)server.Client.LocalEndPoint!;
        var port = FreeIpv6Port(SocketType.Dgram, ProtocolType.Udp);
        using var proxy = new UdpProxy(new IPEndPoint(IPAddress.IPv6Any, port), backend);
        var echo = Task.Run(async () =>
        {
            var got = await server.ReceiveAsync();
            await server.SendAsync(Encoding.ASCII.GetBytes("pong:" + Encoding.ASCII.GetString(got.Buffer)), got.RemoteEndPoint);
        });

        using var client = new UdpClient(AddressFamily.InterNetworkV6);
        client.Connect(new IPEndPoint(IPAddress.IPv6Loopback, port));
        await client.SendAsync(Encoding.ASCII.GetBytes("ping"));
        var reply = await client.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("pong:ping", Encoding.ASCII.GetString(reply.Buffer));
        await echo;
    }

    [Fact]
    public void Start_PortTaken_SaysDockersProxyError_AndStartsNothing()
    {
        if (!HasIpv6)
        {
            return; // nothing to test: docker publishes IPv4 only there, as the allocator tests show
        }

        using var holder = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        holder.Listen();
        var taken = ((IPEndPoint)holder.LocalEndPoint!).Port;
        var free = FreeIpv6Port(SocketType.Stream, ProtocolType.Tcp);
        var e = Assert.Throws<PortAllocatedException>(() => UserlandProxies.Start("0123456789ab", [
            new PortMapping(IPAddress.IPv6Any, free, IPAddress.Loopback, 80),
            new PortMapping(IPAddress.IPv6Any, taken, IPAddress.Loopback, 81),
        ]));
        Assert.Equal($"Error starting userland proxy: listen tcp6 [::]:{taken}: bind: address already in use", e.Message);

        // The first one was closed again: its port can be bound.
        using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.IPv6Any, free));
    }

    [Fact]
    public void Stop_ClosesTheListeners()
    {
        if (!HasIpv6)
        {
            return; // nothing to test: docker publishes IPv4 only there, as the allocator tests show
        }

        var port = FreeIpv6Port(SocketType.Stream, ProtocolType.Tcp);
        UserlandProxies.Start("abcdef012345", [new PortMapping(IPAddress.IPv6Loopback, port, IPAddress.Loopback, 80)]);
        using (var client = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp))
        {
            client.Connect(new IPEndPoint(IPAddress.IPv6Loopback, port));
        }

        UserlandProxies.Stop("abcdef012345");
        using var refused = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        var e = Assert.Throws<SocketException>(() => refused.Connect(new IPEndPoint(IPAddress.IPv6Loopback, port)));
        Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);
    }

    private static async Task<string> ReadToEnd(Socket socket)
    {
        var text = new StringBuilder();
        var buffer = new byte[1024];
        int count;
        while ((count = await socket.ReceiveAsync(buffer)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, count));
        }

        return text.ToString();
    }

    private static int FreeIpv6Port(SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetworkV6, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static int FreeIpv4Port()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
