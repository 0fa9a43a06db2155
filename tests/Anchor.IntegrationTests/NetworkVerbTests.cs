using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>
/// network create/ls/inspect/rm/prune/connect/disconnect, run's network flags and their errors, and
/// the /etc files --add-host and --dns produce. Metadata only: nothing here needs a veth.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class NetworkVerbTests(AnchorFixture anchor)
{
    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    private ProcessResult Ok(params string[] args)
    {
        var result = anchor.Anchor(args);
        Assert.True(result.ExitCode == 0, $"anchor {string.Join(' ', args)}: {result}");
        return result;
    }

    private ProcessResult Fails(int code, params string[] args)
    {
        var result = anchor.Anchor(args);
        Assert.True(result.ExitCode == code, $"anchor {string.Join(' ', args)} should exit {code}: {result}");
        return result;
    }

    private JsonElement InspectNetwork(string name)
    {
        using var doc = JsonDocument.Parse(Ok("network", "inspect", name).Stdout);
        return Assert.Single(doc.RootElement.EnumerateArray().ToList()).Clone();
    }

    [Fact]
    public void NetworkLs_ShowsThePredefinedNetworks()
    {
        var lines = Ok("network", "ls").Out.Split('\n');
        Assert.Matches("^NETWORK ID +NAME +DRIVER +SCOPE$", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^[0-9a-f]{12} +bridge +bridge +local$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^[0-9a-f]{12} +host +host +local$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^[0-9a-f]{12} +none +null +local$"));
    }

    [Fact]
    public void NetworkCreate_InspectLsRm_RoundTrip()
    {
        var name = Unique("appnet");
        var id = Ok("network", "create", "--subnet", "10.201.0.0/24", "--label", "team=web", name).Out;
        Assert.Matches("^[0-9a-f]{64}$", id);
        try
        {
            var network = InspectNetwork(name);
            Assert.Equal(name, network.GetProperty("Name").GetString());
            Assert.Equal(id, network.GetProperty("Id").GetString());
            Assert.Equal("local", network.GetProperty("Scope").GetString());
            Assert.Equal("bridge", network.GetProperty("Driver").GetString());
            Assert.False(network.GetProperty("EnableIPv6").GetBoolean());
            var config = Assert.Single(network.GetProperty("IPAM").GetProperty("Config").EnumerateArray().ToList());
            Assert.Equal("10.201.0.0/24", config.GetProperty("Subnet").GetString());
            Assert.Equal("10.201.0.1", config.GetProperty("Gateway").GetString());
            Assert.False(network.GetProperty("Internal").GetBoolean());
            Assert.Empty(network.GetProperty("Containers").EnumerateObject());
            Assert.Equal("web", network.GetProperty("Labels").GetProperty("team").GetString());

            Assert.Equal(id[..12], Ok("network", "ls", "-q", "--filter", "name=" + name).Out);
            Assert.Equal(id, Ok("network", "ls", "-q", "--no-trunc", "--filter", "id=" + id[..8]).Out);
            Assert.Equal(name + " bridge", Ok("network", "ls", "--filter", "name=" + name, "--format", "{{.Name}} {{.Driver}}").Out);
            Assert.Equal("10.201.0.0/24", Ok("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}", name).Out);

            Assert.Equal(name, Ok("network", "rm", name).Out);
            var gone = Fails(1, "network", "inspect", name);
            // docker's client words the 404 itself (tests/compare net.inspect.missing).
            Assert.Equal($"Error: No such network: {name}", gone.Err);
        }
        finally
        {
            anchor.Anchor(["network", "rm", name]);
        }
    }

    [Fact]
    public void NetworkCreate_WithoutSubnet_GetsAFreePoolAndGateway()
    {
        var a = Unique("auto");
        var b = Unique("auto");
        try
        {
            Ok("network", "create", a);
            Ok("network", "create", b);
            var subnetA = InspectNetwork(a).GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Subnet").GetString()!;
            var subnetB = InspectNetwork(b).GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Subnet").GetString()!;
            Assert.NotEqual(subnetA, subnetB);
            Assert.NotEqual("172.29.0.0/16", subnetA);
            var gateway = InspectNetwork(a).GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Gateway").GetString()!;
            Assert.Equal(subnetA.Split('/')[0][..^1] + "1", gateway);
        }
        finally
        {
            anchor.Anchor(["network", "rm", a, b]);
        }
    }

    [Fact]
    public void NetworkCreate_BadInput_OneLineEach()
    {
        var name = Unique("ovl");
        try
        {
            Ok("network", "create", "--subnet", "10.202.0.0/24", name);
            var overlap = Fails(1, "network", "create", "--subnet", "10.202.0.128/25", Unique("ovl2"));
            Assert.Contains("Error response from daemon: invalid pool request: Pool overlaps with other one on this address space", overlap.Stderr, StringComparison.Ordinal);
            var invalid = Fails(1, "network", "create", "--subnet", "10.77.0.0/33", Unique("bad"));
            Assert.Contains("invalid CIDR address: 10.77.0.0/33", invalid.Stderr, StringComparison.Ordinal);
            var duplicate = Fails(1, "network", "create", "--subnet", "10.203.0.0/24", name);
            Assert.Contains($"network with name {name} already exists", duplicate.Stderr, StringComparison.Ordinal);
            var gateway = Fails(1, "network", "create", "--subnet", "10.204.0.0/24", "--gateway", "10.99.0.1", Unique("gw"));
            Assert.Contains("no matching subnet for gateway 10.99.0.1", gateway.Stderr, StringComparison.Ordinal);
            Assert.Single(anchor.Anchor(["network", "ls", "-q", "--filter", "name=ovl"]).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            anchor.Anchor(["network", "rm", name]);
        }
    }

    [Fact]
    public void NetworkRm_PredefinedAndUnknown_AreRefused()
    {
        var predefined = Fails(1, "network", "rm", "bridge");
        Assert.Contains("bridge is a pre-defined network and cannot be removed", predefined.Stderr, StringComparison.Ordinal);
        Fails(1, "network", "rm", "none");
        var unknown = Fails(1, "network", "rm", "no-such-net");
        Assert.Equal("Error: No such network: no-such-net", unknown.Err);
    }

    [Fact]
    public void NetworkPrune_RemovesUserNetworks_KeepsPredefined()
    {
        var a = Unique("prune");
        Ok("network", "create", "--subnet", "10.205.0.0/24", a);
        var output = Ok("network", "prune", "-f").Out;
        Assert.StartsWith("Deleted Networks:", output, StringComparison.Ordinal);
        Assert.Contains(a, output.Split('\n'));
        var ls = Ok("network", "ls", "--format", "{{.Name}}").Out.Split('\n');
        Assert.DoesNotContain(a, ls);
        Assert.Contains("bridge", ls);
    }

    [Fact]
    public void Run_UnknownNetwork_SaysNotFound_Exits125_LeavesNothing()
    {
        var before = anchor.ContainerIds();
        var result = anchor.RunRm(["--network", "nosuchnet2"], "true");
        Assert.True(result.ExitCode == 125, result.ToString());
        Assert.Contains("Error response from daemon: network nosuchnet2 not found", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, anchor.ContainerIds());
    }

    [Fact]
    public void Run_IpOnDefaultBridge_IsRefused()
    {
        var result = anchor.RunRm(["--network", "bridge", "--ip", "172.29.0.9"], "true");
        Assert.True(result.ExitCode == 125, result.ToString());
        Assert.Contains("user specified IP address is supported on user defined networks only", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_IpOutsideTheSubnet_IsRefused()
    {
        var name = Unique("ipnet");
        try
        {
            Ok("network", "create", "--subnet", "10.206.0.0/24", name);
            var result = anchor.RunRm(["--network", name, "--ip", "10.0.0.9"], "true");
            Assert.True(result.ExitCode == 125, result.ToString());
            Assert.Contains("Invalid address 10.0.0.9: It does not belong to any of this network's subnets", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            anchor.Anchor(["network", "rm", name]);
        }
    }

    [Theory]
    [InlineData("80:abc", "Invalid containerPort: abc")]
    [InlineData("x:80", "Invalid hostPort: x")]
    [InlineData("8080:80/icmp", "invalid proto: icmp")]
    [InlineData("8000-8002:80-81", "Invalid ranges specified for container and host Ports: 80-81 and 8000-8002")]
    public void Run_BadPublish_SaysDockersMessage_Exits125(string spec, string message)
    {
        var before = anchor.ContainerIds();
        var result = anchor.RunRm(["-p", spec], "true");
        Assert.True(result.ExitCode == 125, result.ToString());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, anchor.ContainerIds());
    }

    [Fact]
    public void Run_BadAddHostAndDns_AreRefused()
    {
        Assert.Contains("bad format for add-host: \"nocolon\"", anchor.RunRm(["--add-host", "nocolon"], "true").Stderr, StringComparison.Ordinal);
        Assert.Contains("invalid IP address in add-host: \"nope\"", anchor.RunRm(["--add-host", "db:nope"], "true").Stderr, StringComparison.Ordinal);
        Assert.Contains("is not an ip address", anchor.RunRm(["--dns", "resolver"], "true").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AddHostAndDns_WithNetworkNone_AreInTheEtcFiles()
    {
        var hosts = anchor.ShOk("cat /etc/hosts", "--network", "none", "--add-host", "db2:10.0.0.5", "--add-host", "gw:host-gateway");
        Assert.StartsWith("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n", hosts, StringComparison.Ordinal);
        Assert.Contains("10.0.0.5\tdb2", hosts.Split('\n'));
        Assert.Contains("172.29.0.1\tgw", hosts.Split('\n'));

        var resolv = anchor.ShOk("cat /etc/resolv.conf", "--network", "none", "--dns", "10.0.0.2", "--dns", "10.0.0.3", "--dns-search", "example.com", "--dns-option", "ndots:2").Split('\n');
        Assert.Equal(["nameserver 10.0.0.2", "nameserver 10.0.0.3"], resolv.Where(l => l.StartsWith("nameserver", StringComparison.Ordinal)));
        Assert.Contains("search example.com", resolv);
        Assert.Contains("options ndots:2", resolv);
    }

    [Fact]
    public void Inspect_Container_ShowsNetworkModeDnsExtraHostsAndExposedPorts()
    {
        var name = Unique("insp");
        try
        {
            Ok("create", "--name", name, "--network", "none", "--dns", "10.0.0.2", "--add-host", "db2:10.0.0.5", "--expose", "9000", "busybox", "true");
            using var doc = JsonDocument.Parse(Ok("inspect", name).Stdout);
            var c = doc.RootElement[0];
            Assert.Equal("none", c.GetProperty("HostConfig").GetProperty("NetworkMode").GetString());
            Assert.Equal("10.0.0.2", c.GetProperty("HostConfig").GetProperty("Dns")[0].GetString());
            Assert.Equal("db2:10.0.0.5", c.GetProperty("HostConfig").GetProperty("ExtraHosts")[0].GetString());
            Assert.True(c.GetProperty("NetworkSettings").GetProperty("Networks").TryGetProperty("none", out _));
            Assert.True(c.GetProperty("Config").GetProperty("ExposedPorts").TryGetProperty("9000/tcp", out _), c.GetProperty("Config").ToString());
            Assert.Equal("", Ok("ps", "-a", "--filter", "name=" + name, "--format", "{{.Ports}}").Out);
        }
        finally
        {
            anchor.Anchor(["rm", "-f", name]);
        }
    }

    [Fact]
    public void Connect_Disconnect_CreatedContainer_ChangesItsNetworks()
    {
        var network = Unique("connet");
        var container = Unique("conn");
        try
        {
            Ok("network", "create", "--subnet", "10.207.0.0/24", network);
            Ok("create", "--name", container, "--network", "bridge", "busybox", "true");
            Ok("network", "connect", "--alias", "api", network, container);
            var networks = Ok("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", container).Out;
            Assert.Contains(network, networks.Split(' '));
            Assert.Contains("bridge", networks.Split(' '));
            var again = Fails(1, "network", "connect", network, container);
            Assert.Contains("already exists", again.Stderr, StringComparison.Ordinal);

            Ok("network", "disconnect", network, container);
            Assert.DoesNotContain(network, Ok("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", container).Out, StringComparison.Ordinal);
            Fails(1, "network", "disconnect", network, container);
            Fails(1, "network", "connect", "no-such-net", container);
        }
        finally
        {
            anchor.Anchor(["rm", "-f", container]);
            anchor.Anchor(["network", "rm", network]);
        }
    }

    [Fact]
    public void Port_ContainerWithoutPublishedPorts_PrintsNothing()
    {
        var name = Unique("port");
        try
        {
            Ok("create", "--name", name, "--network", "none", "busybox", "true");
            Assert.Equal("", Ok("port", name).Out);
            var missing = Fails(1, "port", name, "80/tcp");
            Assert.Contains("No public port '80/tcp' published for " + name, missing.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            anchor.Anchor(["rm", "-f", name]);
        }
    }
}
