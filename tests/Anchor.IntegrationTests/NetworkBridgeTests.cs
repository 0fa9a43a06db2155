using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Anchor.IntegrationTests;

/// <summary>
/// Bridge networking end to end: the default bridge, published ports (127.0.0.1 and the host's
/// address), user networks (names, aliases, isolation), the way out to the host, connect and
/// disconnect, and what rm -f and network prune leave (nothing). Host ports are picked free per test.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class NetworkBridgeTests(AnchorFixture anchor)
{
    private const string Httpd = "mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 80 -h /www";

    [Fact]
    public void Run_DefaultBridge_HasEth0InTheSubnetAndADefaultRoute()
    {
        var output = anchor.ShOk("ip -4 -o addr show eth0; cat /proc/net/route");
        Assert.Contains("inet 172.29.", output);
        // /proc/net/route: Iface Destination Gateway… in little-endian hex: default via 172.29.0.1.
        Assert.Contains(output.Split('\n'), l => l.StartsWith("eth0\t00000000\t01001DAC", StringComparison.Ordinal));
    }

    [Fact]
    public void Publish_Httpd_AnswersOnLoopbackAndTheHostsAddress()
    {
        var name = Detached.UniqueName("web");
        var port = HostNet.FreePort();
        try
        {
            anchor.ShDetached(name, Httpd, "-p", $"{port}:80");
            Assert.Equal("hello\n", HostNet.Get(IPAddress.Loopback, port));
            Assert.Equal("hello\n", HostNet.Get(HostNet.HostAddress(), port));
            Assert.Contains($"80/tcp -> 0.0.0.0:{port}", anchor.Ok("port", name).Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Publish_LoopbackOnly_AnswersOn127001()
    {
        var name = Detached.UniqueName("web");
        var port = HostNet.FreePort();
        try
        {
            anchor.ShDetached(name, Httpd, "-p", $"127.0.0.1:{port}:80/tcp");
            Assert.Equal("hello\n", HostNet.Get(IPAddress.Loopback, port));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void UserNetwork_ContainersReachEachOtherByNameAndAlias_OtherNetworkCannot()
    {
        var net = Detached.UniqueName("appnet");
        var other = Detached.UniqueName("othernet");
        var db = Detached.UniqueName("db");
        try
        {
            anchor.Ok("network", "create", "--subnet", $"10.77.{Random.Shared.Next(1, 250)}.0/24", net);
            anchor.Ok("network", "create", other);
            anchor.ShDetached(db, Httpd, "--network", net, "--network-alias", "api");
            // busybox 1.35's wget crashes with -T: a blocked connection is tried with nc -w instead.
            var byName = anchor.Sh($"wget -qO- http://{db}/", "--network", net);
            Assert.True(byName.ExitCode == 0 && byName.Out == "hello", byName.ToString());
            var byAlias = anchor.Sh("wget -qO- http://api/", "--network", net);
            Assert.True(byAlias.ExitCode == 0 && byAlias.Out == "hello", byAlias.ToString());

            var ip = ContainerAddress(db);
            var same = anchor.Sh(Get(ip), "--network", net);
            Assert.True(same.Out == "hello", same.ToString());
            var across = anchor.Sh(Get(ip), "--network", other);
            Assert.True(across.Out.Length == 0, across.ToString());
            var fromBridge = anchor.Sh(Get(ip));
            Assert.True(fromBridge.Out.Length == 0, fromBridge.ToString());
        }
        finally
        {
            anchor.ForceRemove(db);
            anchor.Anchor(["network", "rm", net, other]);
        }
    }

    [Fact]
    public void Container_ReachesAServerOnTheHost()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var served = new Thread(() =>
        {
            for (var i = 0; i < 2; i++)
            {
                using var client = listener.AcceptTcpClient();
                client.GetStream().Write(Encoding.ASCII.GetBytes("from-host\n"));
            }
        }) { IsBackground = true };
        served.Start();
        // The gateway is one of the host's addresses, and so is eth0's (routed via the gateway).
        var output = anchor.ShOk($"nc 172.29.0.1 {port}; nc {HostNet.HostAddress()} {port}");
        Assert.Equal("from-host\nfrom-host", output);
        Assert.True(served.Join(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void NetworkContainer_SharesTheOthersNetwork()
    {
        var name = Detached.UniqueName("owner");
        try
        {
            anchor.ShDetached(name, Detached.Forever);
            var ip = ContainerAddress(name);
            var output = anchor.ShOk("ip -4 -o addr show eth0", "--network", $"container:{name}");
            Assert.Contains($"inet {ip}/", output);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void ConnectDisconnect_RunningContainer_GetsAndLosesEth1()
    {
        var name = Detached.UniqueName("conn");
        var net = Detached.UniqueName("connnet");
        try
        {
            anchor.Ok("network", "create", "--subnet", $"10.78.{Random.Shared.Next(1, 250)}.0/24", net);
            anchor.ShDetached(name, Detached.Forever);
            anchor.Ok("network", "connect", net, name);
            Assert.Contains("inet 10.78.", anchor.Ok("exec", name, "ip", "-4", "-o", "addr", "show", "eth1").Out);
            anchor.Ok("network", "disconnect", net, name);
            Assert.DoesNotContain("eth1", anchor.Ok("exec", name, "ls", "/sys/class/net").Out.Split('\n'));
        }
        finally
        {
            anchor.ForceRemove(name);
            anchor.Anchor(["network", "rm", net]);
        }
    }

    [Fact]
    public void Publish_PortTaken_SaysWhichAndLeavesNothing()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var result = anchor.RunRm(["-p", $"{port}:80"], "true");
        Assert.True(result.ExitCode == 125, result.ToString());
        // docker's wording for a port a host process holds: its userland proxy's bind error.
        Assert.Contains($"0.0.0.0:{port}", result.Err);
        Assert.Contains("address already in use", result.Err);
        Assert.Single(result.Err.Split('\n'));
        AssertNoLeaseAndNoRule(port);

        // Taken by another container this time.
        var name = Detached.UniqueName("holder");
        var free = HostNet.FreePort();
        try
        {
            anchor.ShDetached(name, Detached.Forever, "-p", $"{free}:80");
            var second = anchor.Sh("true", "--name", "second-" + name, "-p", $"{free}:80");
            Assert.True(second.ExitCode == 125, second.ToString());
            Assert.Contains($"{free} failed: port is already allocated", second.Err);
            Assert.Equal("1", anchor.Ok("network", "inspect", "-f", "{{len .Containers}}", "bridge").Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }

        AssertNoLeaseAndNoRule(free);
    }

    [Fact]
    public void RmAndPrune_LeaveNoVethAndNoRule()
    {
        var net = Detached.UniqueName("prunenet");
        var names = new[] { Detached.UniqueName("a"), Detached.UniqueName("b") };
        var port = HostNet.FreePort();
        anchor.Ok("network", "create", net);
        anchor.ShDetached(names[0], Detached.Forever, "--network", net, "-p", $"{port}:80");
        anchor.ShDetached(names[1], Detached.Forever);
        Assert.Contains($"dport {port} ", HostNet.NftTable());
        // The host ends of their pairs: eth0's peer index, read inside, named on the host.
        var veths = names.Select(HostVeth).ToList();
        Assert.All(veths, v => Assert.StartsWith("av", v, StringComparison.Ordinal));
        anchor.Ok(["rm", "-f", .. names]);
        anchor.Ok("network", "prune", "-f");
        Assert.Empty(HostNet.AnchorVeths().Intersect(veths));
        Assert.DoesNotContain($"dport {port} ", HostNet.NftTable());
        Assert.DoesNotContain(net, anchor.Ok("network", "ls").Out);
        AssertNoLeaseAndNoRule(port);
    }

    /// <summary>An HTTP GET by hand with a 2 s connect timeout, printing the body's last line.</summary>
    private static string Get(string host) => $"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 {host} 80 | tail -n 1";

    /// <summary>The container's address on its first network (eth0).</summary>
    private string ContainerAddress(string name)
    {
        var line = anchor.Ok("exec", name, "ip", "-4", "-o", "addr", "show", "eth0").Out;
        var cidr = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w != "inet").Skip(1).First();
        return cidr.Split('/')[0];
    }

    /// <summary>No lease left on the default bridge (this store's) and no DNAT rule for the port (the kernel's).</summary>
    private void AssertNoLeaseAndNoRule(int port)
    {
        Assert.Equal("0", anchor.Ok("network", "inspect", "-f", "{{len .Containers}}", "bridge").Out);
        Assert.DoesNotContain($"dport {port} ", HostNet.NftTable());
    }

    /// <summary>The host-side veth of a running container's eth0 (its iflink is the host end's ifindex).</summary>
    private string HostVeth(string name)
    {
        var index = anchor.Ok("exec", name, "cat", "/sys/class/net/eth0/iflink").Out.Trim();
        return Directory.EnumerateDirectories("/sys/class/net")
            .First(d => File.Exists(Path.Combine(d, "ifindex")) && File.ReadAllText(Path.Combine(d, "ifindex")).Trim() == index)
            .Split('/')[^1];
    }
}
