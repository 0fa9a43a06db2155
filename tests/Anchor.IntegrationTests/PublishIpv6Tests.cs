using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Anchor.IntegrationTests;

/// <summary>
/// Published ports on IPv6 as docker 20.10 has them: -p without an address on 0.0.0.0 and [::]
/// (the [::] side through a proxy in the process that owns the container), -p [::1]:… and
/// -p 127.0.0.1:… on their family only, what port, ps and inspect show, and the order in which -P
/// hands out host ports. Only loopback addresses are connected to.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class PublishIpv6Tests(AnchorFixture anchor)
{
    private const string Httpd = "mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 80 -h /www";

    /// <summary>busybox nc as a request/response server: reads one line, answers got:LINE, closes; again for every connection.</summary>
    private const string Echo = "while true; do nc -l -p 80 -e sh -c 'read l; echo got:$l'; done";

    /// <summary>The host has IPv6 on loopback (/proc/net/if_inet6 lists lo): docker's condition for the [::] binding.</summary>
    private static bool HostHasIpv6 =>
        File.Exists("/proc/net/if_inet6") && File.ReadAllText("/proc/net/if_inet6").Split('\n').Any(l => l.TrimEnd().EndsWith(" lo", StringComparison.Ordinal));

    [Fact]
    public void Publish_NoAddress_AnswersOnBothLoopbacks_AndEveryVerbShowsBothBindings()
    {
        var name = Detached.UniqueName("web6");
        var port = FreePort();
        try
        {
            anchor.ShDetached(name, Httpd, "-p", $"{port}:80");
            Assert.Equal("hello\n", HostNet.Get(IPAddress.Loopback, port));
            Assert.Equal(
                """{"80/tcp":[{"HostIp":"","HostPort":"PORT"}]}""".Replace("PORT", $"{port}", StringComparison.Ordinal),
                anchor.Ok("inspect", "-f", "{{json .HostConfig.PortBindings}}", name).Out);
            if (!HostHasIpv6)
            {
                // docker on a host without IPv6: IPv4 only, no error.
                Assert.Equal($"80/tcp -> 0.0.0.0:{port}", anchor.Ok("port", name).Out);
                return;
            }

            Assert.Equal("hello\n", HostNet.Get(IPAddress.IPv6Loopback, port));
            // docker 20.10's port prints HostIp:HostPort as they are (":::PORT", no brackets).
            Assert.Equal($"80/tcp -> 0.0.0.0:{port}\n80/tcp -> :::{port}", anchor.Ok("port", name).Out);
            Assert.Equal($"0.0.0.0:{port}\n:::{port}", anchor.Ok("port", name, "80/tcp").Out);
            Assert.Equal($"0.0.0.0:{port}->80/tcp, :::{port}->80/tcp", anchor.Ok("ps", "--filter", $"name={name}", "--format", "{{.Ports}}").Out);
            Assert.Equal(
                """{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"PORT"},{"HostIp":"::","HostPort":"PORT"}]}""".Replace("PORT", $"{port}", StringComparison.Ordinal),
                anchor.Ok("inspect", "-f", "{{json .NetworkSettings.Ports}}", name).Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }

        if (HostHasIpv6)
        {
            // rm -f ended the monitor and with it the proxy: nothing answers on [::1] any more.
            Assert.Equal(SocketError.ConnectionRefused, ConnectError(IPAddress.IPv6Loopback, port));
        }
    }

    [Fact]
    public void Publish_Ipv6Loopback_IsIpv6Only()
    {
        if (!HostHasIpv6)
        {
            return; // -p [::1]:… needs IPv6 (docker fails to listen there too)
        }

        var name = Detached.UniqueName("web6");
        var port = FreePort();
        try
        {
            anchor.ShDetached(name, Echo, "-p", $"[::1]:{port}:80");
            Assert.Equal("got:ping\n", Exchange(IPAddress.IPv6Loopback, port, "ping\n"));
            Assert.Equal(SocketError.ConnectionRefused, ConnectError(IPAddress.Loopback, port));
            Assert.Equal($"80/tcp -> ::1:{port}", anchor.Ok("port", name).Out);
            Assert.Equal($"::1:{port}->80/tcp", anchor.Ok("ps", "--filter", $"name={name}", "--format", "{{.Ports}}").Out);
            Assert.Equal(
                """{"80/tcp":[{"HostIp":"::1","HostPort":"PORT"}]}""".Replace("PORT", $"{port}", StringComparison.Ordinal),
                anchor.Ok("inspect", "-f", "{{json .NetworkSettings.Ports}}", name).Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Publish_Ipv4Loopback_IsIpv4Only()
    {
        var name = Detached.UniqueName("web4");
        var port = FreePort();
        try
        {
            anchor.ShDetached(name, Echo, "-p", $"127.0.0.1:{port}:80");
            Assert.Equal("got:ping\n", Exchange(IPAddress.Loopback, port, "ping\n"));
            if (HostHasIpv6)
            {
                Assert.Equal(SocketError.ConnectionRefused, ConnectError(IPAddress.IPv6Loopback, port));
            }

            Assert.Equal($"80/tcp -> 127.0.0.1:{port}", anchor.Ok("port", name).Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Publish_Ipv6_FollowsTheContainerThroughStopAndStart()
    {
        if (!HostHasIpv6)
        {
            return;
        }

        var name = Detached.UniqueName("echo6");
        var port = FreePort();
        try
        {
            anchor.ShDetached(name, Echo, "-p", $"{port}:80");
            Assert.Equal("got:one\n", Exchange(IPAddress.IPv6Loopback, port, "one\n"));
            Assert.Equal("got:two\n", Exchange(IPAddress.Loopback, port, "two\n"));
            anchor.Ok("stop", "-t", "1", name);
            Assert.Equal(SocketError.ConnectionRefused, ConnectError(IPAddress.IPv6Loopback, port));
            anchor.Ok("start", name);
            Assert.Equal("got:three\n", Exchange(IPAddress.IPv6Loopback, port, "three\n"));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    /// <summary>A restart by the policy keeps the endpoint (and its nft elements): the [::] proxy must be bound again and stay.</summary>
    [Fact]
    public void Publish_Ipv6_SurvivesRestartsByThePolicy()
    {
        if (!HostHasIpv6)
        {
            return;
        }

        var name = Detached.UniqueName("again6");
        var port = FreePort();
        try
        {
            // Serves one connection, then exits 3: every exchange after the first needs a restart.
            anchor.ShDetached(name, "nc -l -p 80 -e sh -c 'read l; echo got:$l'; exit 3", "--restart", "always", "-p", $"{port}:80");
            Assert.Equal("got:one\n", Exchange(IPAddress.IPv6Loopback, port, "one\n"));
            Assert.Equal("got:two\n", Exchange(IPAddress.IPv6Loopback, port, "two\n"));
            Assert.Equal("got:three\n", Exchange(IPAddress.IPv6Loopback, port, "three\n"));
            Assert.NotEqual("0", anchor.Ok("inspect", "-f", "{{.RestartCount}}", name).Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public async Task Publish_ForegroundRun_ServesIpv6WhileItRuns()
    {
        if (!HostHasIpv6)
        {
            return;
        }

        var name = Detached.UniqueName("fg6");
        var port = FreePort();
        try
        {
            await anchor.Following(["run", "--rm", "--name", name, "-p", $"{port}:80", AnchorFixture.Image, "sh", "-c", Echo], _ =>
            {
                Assert.Equal("got:fg\n", Exchange(IPAddress.IPv6Loopback, port, "fg\n"));
                return Task.CompletedTask;
            });
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    /// <summary>
    /// libnetwork's order: -P allocates the highest container port first (nat.SortPortMap), each
    /// from the port after the last one handed out, starting at ip_local_port_range's start in a
    /// fresh store; the next container continues after it even once the first is gone.
    /// </summary>
    [Fact]
    public void PublishAll_HandsOutPortsInDockersOrder()
    {
        using var store = new PrivateStore(anchor, "ports");
        store.ImportBusybox();
        var first = NextFreeFrom(RangeStart());
        var second = NextFreeFrom(first + 1);
        store.Ok(["run", "-d", "--name", "first", "-P", "--expose", "80", "--expose", "443", AnchorFixture.Image, "sh", "-c", Detached.Forever]);
        var v6 = HostHasIpv6;
        Assert.Equal(
            v6 ? $"0.0.0.0:{second}->80/tcp, :::{second}->80/tcp, 0.0.0.0:{first}->443/tcp, :::{first}->443/tcp"
               : $"0.0.0.0:{second}->80/tcp, 0.0.0.0:{first}->443/tcp",
            store.Ok("ps", "--format", "{{.Ports}}").Out);
        Assert.Equal(v6 ? $"0.0.0.0:{first}\n:::{first}" : $"0.0.0.0:{first}", store.Ok("port", "first", "443").Out);
        var both = v6 ? """{"HostIp":"0.0.0.0","HostPort":"#"},{"HostIp":"::","HostPort":"#"}""" : """{"HostIp":"0.0.0.0","HostPort":"#"}""";
        Assert.Equal(
            $"{{\"443/tcp\":[{both.Replace("#", $"{first}", StringComparison.Ordinal)}],\"80/tcp\":[{both.Replace("#", $"{second}", StringComparison.Ordinal)}]}}",
            store.Ok("inspect", "-f", "{{json .NetworkSettings.Ports}}", "first").Out);

        store.Ok("rm", "-f", "first");
        var third = NextFreeFrom(second + 1);
        store.Ok(["run", "-d", "--name", "second", "-p", "80", AnchorFixture.Image, "sh", "-c", Detached.Forever]);
        Assert.Equal(v6 ? $"80/tcp -> 0.0.0.0:{third}\n80/tcp -> :::{third}" : $"80/tcp -> 0.0.0.0:{third}", store.Ok("port", "second").Out);
    }

    /// <summary>docker 20.10 (recorded in tests/compare): exposed ports show in PORTS only for a container with a network endpoint.</summary>
    [Fact]
    public void Ps_ExposedPorts_OnlyWithANetworkEndpoint()
    {
        var none = Detached.UniqueName("none");
        var bridged = Detached.UniqueName("bridged");
        try
        {
            anchor.ShDetached(none, Detached.Forever, "--network", "none", "--expose", "9000");
            anchor.ShDetached(bridged, Detached.Forever, "--expose", "9000");
            Assert.Equal("", anchor.Ok("ps", "--filter", $"name={none}", "--format", "{{.Ports}}").Out);
            Assert.Equal("9000/tcp", anchor.Ok("ps", "--filter", $"name={bridged}", "--format", "{{.Ports}}").Out);
        }
        finally
        {
            anchor.ForceRemove(none, bridged);
        }
    }

    private static int RangeStart() =>
        int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0]);

    /// <summary>The first port from START that nothing holds: no listener on either family, no DNAT of another store.</summary>
    private static int NextFreeFrom(int start)
    {
        var published = HostNet.NftTable();
        for (var port = start; ; port++)
        {
            if (!published.Contains($"tcp . {port} :", StringComparison.Ordinal) && Bindable(IPAddress.Any, port) && (!HostHasIpv6 || Bindable(IPAddress.IPv6Any, port)))
            {
                return port;
            }
        }
    }

    /// <summary>A port free on 0.0.0.0 and [::], outside the ephemeral range.</summary>
    private static int FreePort()
    {
        while (true)
        {
            var port = HostNet.FreePort();
            if (!HostHasIpv6 || Bindable(IPAddress.IPv6Any, port))
            {
                return port;
            }
        }
    }

    private static bool Bindable(IPAddress address, int port)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Sends TEXT, half-closes, reads the reply to its end; retried until the server answers (it may still be starting).</summary>
    private static string Exchange(IPAddress address, int port, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
                socket.Connect(new IPEndPoint(address, port));
                socket.Send(Encoding.ASCII.GetBytes(text));
                socket.Shutdown(SocketShutdown.Send);
                var reply = new StringBuilder();
                var buffer = new byte[256];
                int count;
                while ((count = socket.Receive(buffer)) > 0)
                {
                    reply.Append(Encoding.ASCII.GetString(buffer, 0, count));
                }

                if (reply.Length > 0 || DateTime.UtcNow >= deadline)
                {
                    return reply.ToString();
                }
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
            }

            Thread.Sleep(100);
        }
    }

    /// <summary>How a connection to ADDRESS:PORT fails (Success if it is accepted).</summary>
    private static SocketError ConnectError(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(new IPEndPoint(address, port));
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }
}
