using System.Net;
using System.Net.Sockets;
using System.Text;
using Anchor.Linux;
using Anchor.Network.Netlink;
using Anchor.Network.Nft;

namespace Anchor.Network.Tests;

/// <summary>
/// Against the real kernel: a bridge and a namespace of the test's own (a 10.251.x.0/24 subnet,
/// names with a random suffix), removed at the end. Needs root and nft.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class KernelTests : IDisposable
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];
    private readonly int _octet = Random.Shared.Next(1, 250);
    private readonly string _id = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")[..32];
    private readonly NetnsProcess _netns = new();

    private string Bridge => "antst" + _suffix;

    private BridgeSpec Spec => new(Bridge, IPNetwork.Parse($"10.251.{_octet}.0/24"), IPAddress.Parse($"10.251.{_octet}.1"));

    private IPAddress ContainerIp => IPAddress.Parse($"10.251.{_octet}.2");

    [Fact]
    public void Ensure_CreatesBridgeWithGatewayUp_AndIsIdempotent()
    {
        Assert.True(BridgeNetwork.Ensure(Spec));
        Assert.False(BridgeNetwork.Ensure(Spec));
        var link = BridgeNetwork.Find(Bridge)!;
        Assert.Equal("bridge", link.Kind);
        Assert.True(link.IsUp);
        Assert.Equal("1", File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim());
        Assert.Contains($"jump nat-{Bridge}", NftCommand.List("table ip anchor"));
    }

    [Fact]
    public void Attach_PutsEth0WithAddressAndDefaultRouteInTheNamespace()
    {
        BridgeNetwork.Ensure(Spec);
        var veth = "av" + _suffix + "0";
        Assert.Equal("eth0", EndpointPlumber.NextInterfaceName(_netns.Pid));
        EndpointPlumber.Attach(_netns.Pid, Bridge, veth, "eth0", ContainerIp, 24, Spec.Gateway, null, defaultRoute: true);
        Assert.Equal("eth1", EndpointPlumber.NextInterfaceName(_netns.Pid));

        using (var inside = NetlinkSocket.OpenIn(_netns.Pid))
        {
            var eth0 = new Rtnetlink(inside).RequireLink("eth0");
            Assert.True(eth0.IsUp);
            Assert.Equal("02:42:0a:fb", Ipv4.FormatMac(eth0.Mac!)[..11]);
        }

        // /proc/PID/net/route is the route table of that process's namespace: the default route via the gateway.
        var route = File.ReadAllLines($"/proc/{_netns.Pid}/net/route").Skip(1).Select(l => l.Split('\t')).ToList();
        Assert.Contains(route, r => r[0] == "eth0" && r[1] == "00000000" && r[2] == $"01{_octet:X2}FB0A");
        var hostEnd = BridgeNetwork.Find(veth)!;
        Assert.Equal(BridgeNetwork.Find(Bridge)!.Index, hostEnd.Master);
        Assert.Contains($"inet 10.251.{_octet}.2/24", _netns.Run("ip", "-4", "addr", "show", "eth0"));

        Assert.True(EndpointPlumber.Detach(veth));
        Assert.Null(BridgeNetwork.Find(veth));
        Assert.False(EndpointPlumber.Detach(veth));
    }

    [Fact]
    public void Publish_ReachesTheNamespaceOnLoopbackAndHostAddress_ThenUnpublishRemovesIt()
    {
        BridgeNetwork.Ensure(Spec);
        var veth = "av" + _suffix + "0";
        EndpointPlumber.Attach(_netns.Pid, Bridge, veth, "eth0", ContainerIp, 24, Spec.Gateway, null, defaultRoute: true);
        var port = Random.Shared.Next(20000, 30000);
        // Two container ports: the first server's socket may linger in TIME_WAIT on its port
        // (nc closes first), and busybox nc -l does not set SO_REUSEADDR.
        PortPublisher.Publish(_id, [new PortMapping(IPAddress.Any, port, ContainerIp, 7000), new PortMapping(IPAddress.Any, port + 1, ContainerIp, 7001)]);
        try
        {
            Assert.Equal("hello", Fetch(IPAddress.Loopback, port, 7000));
            Assert.Equal("hello", Fetch(HostAddress(), port + 1, 7001));
            Assert.Throws<PortAllocatedException>(() =>
                PortPublisher.Publish(_id.Replace(_id[..12], "ffffffffffff", StringComparison.Ordinal), [new PortMapping(IPAddress.Any, port, ContainerIp, 7000)]));
        }
        finally
        {
            PortPublisher.Unpublish(_id);
        }

        Assert.DoesNotContain(NftRuleset.PublisherChain(_id), NftCommand.List("table ip anchor"));
        Assert.DoesNotContain($"tcp . {port} :", NftCommand.List("table ip anchor"));
    }

    [Fact]
    public void Publish_PortHeldByAHostProcess_NamesItAndAddsNothing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var e = Assert.Throws<PortAllocatedException>(() => PortPublisher.Publish(_id, [new PortMapping(IPAddress.Any, port, ContainerIp, 80)]));
        Assert.Equal($"Bind for 0.0.0.0:{port} failed: port is already allocated", e.Message);
        Assert.DoesNotContain(NftRuleset.PublisherChain(_id), NftCommand.List("table ip anchor") ?? "");
    }

    [Fact]
    public void Leftovers_FindsVethOfADeadContainer()
    {
        BridgeNetwork.Ensure(Spec);
        var veth = "av" + _suffix + "1";
        EndpointPlumber.Attach(_netns.Pid, Bridge, veth, "eth1", ContainerIp, 24, null, null, defaultRoute: false);
        Assert.DoesNotContain(veth, Leftovers.FindVeths(_ => true));
        Assert.Contains(veth, Leftovers.FindVeths(name => name != veth));
        Assert.Contains(veth, Leftovers.Reclaim(name => name != veth));
        Assert.Null(BridgeNetwork.Find(veth));
    }

    [Fact]
    public void Attach_WhenTheNamespaceDies_ThePairGoesWithIt()
    {
        BridgeNetwork.Ensure(Spec);
        var veth = "av" + _suffix + "3";
        EndpointPlumber.Attach(_netns.Pid, Bridge, veth, "eth0", ContainerIp, 24, null, null, defaultRoute: false);
        Assert.True(Directory.Exists($"/sys/class/net/{veth}"));
        _netns.Dispose();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Directory.Exists($"/sys/class/net/{veth}") && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        Assert.False(Directory.Exists($"/sys/class/net/{veth}"));
        Assert.False(EndpointPlumber.Detach(veth));
    }

    [Fact]
    public void Attach_IntoMissingBridge_FailsAndLeavesNoVeth()
    {
        var veth = "av" + _suffix + "2";
        var e = Assert.Throws<LinuxException>(() =>
            EndpointPlumber.Attach(_netns.Pid, "nosuchbr" + _suffix, veth, "eth0", ContainerIp, 24, null, null, false));
        Assert.Contains("nosuchbr", e.Message);
        Assert.Null(BridgeNetwork.Find(veth));
    }

    public void Dispose()
    {
        try
        {
            _netns.Dispose();
        }
        finally
        {
            BridgeNetwork.Remove(Bridge);
            BridgeNetwork.RemoveFirewallIfUnused();
        }
    }

    /// <summary>Serves one "hello" from inside the namespace (busybox nc) and reads it through the given address.</summary>
    private string Fetch(IPAddress address, int port, int containerPort)
    {
        using var server = _netns.Start("busybox", "nc", "-l", "-p", containerPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        server.StandardInput.Write("hello");
        server.StandardInput.Close();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(address, port);
                using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
                var text = reader.ReadToEnd();
                server.WaitForExit(2000);
                return text;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50); // nc is not listening yet
            }
        }
    }

    /// <summary>The host's first non-loopback IPv4 address (eth0's), read from the kernel.</summary>
    private static IPAddress HostAddress() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.Name == "eth0")
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .First(a => a.AddressFamily == AddressFamily.InterNetwork);
}
