using Anchor.Engine.Networks;

namespace Anchor.Engine.Tests.Networks;

public sealed class PortAllocatorTests
{
    [Fact]
    public void Assign_ExplicitTakenByAnotherEndpoint_SaysPortIsAlreadyAllocated()
    {
        var allocator = new PortAllocator(_ => true, (40000, 40010));
        var e = Assert.Throws<EngineException>(() => allocator.Assign([new PortBinding("", 8080, 80, "tcp")], [new PortBinding("127.0.0.1", 8080, 81, "tcp")], "web"));
        Assert.Equal("driver failed programming external connectivity on endpoint web: Bind for 0.0.0.0:8080 failed: port is already allocated", e.Message);
    }

    [Fact]
    public void Assign_SamePortOtherProtocolOrOtherAddress_IsFine()
    {
        var allocator = new PortAllocator(_ => true, (40000, 40010));
        var taken = new[] { new PortBinding("127.0.0.1", 8080, 80, "tcp") };
        Assert.Single(allocator.Assign([new PortBinding("", 8080, 80, "udp")], taken, "web"));
        Assert.Single(allocator.Assign([new PortBinding("127.0.0.2", 8080, 80, "tcp")], taken, "web"));
    }

    [Fact]
    public void Assign_ExplicitBusyOnHost_SaysAddressInUse()
    {
        var allocator = new PortAllocator(b => b.HostPort != 8080, (40000, 40010));
        var e = Assert.Throws<EngineException>(() => allocator.Assign([new PortBinding("", 8080, 80, "tcp")], [], "web"));
        Assert.Contains("0.0.0.0:8080: bind: address already in use", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assign_Random_SkipsTakenAndBusyPorts_StaysInRange()
    {
        // Range of 4: 40000 taken by another endpoint, 40001 busy on the host: only 40002 and 40003 remain.
        var allocator = new PortAllocator(b => b.HostPort != 40001, (40000, 40003));
        var assigned = allocator.Assign(
            [new PortBinding("", 0, 80, "tcp"), new PortBinding("", 0, 81, "tcp")],
            [new PortBinding("", 40000, 1, "tcp")],
            "web");
        Assert.Equal([40002, 40003], assigned.Select(p => p.HostPort).Order());
        Assert.Throws<EngineException>(() => allocator.Assign([new PortBinding("", 0, 82, "tcp")], [.. assigned, new PortBinding("", 40000, 1, "tcp")], "web"));
    }

    [Fact]
    public void Assign_NoAddress_OnIpv6Host_AddsTheSamePortOnColonColon()
    {
        var allocator = new PortAllocator(_ => true, (40000, 40010), ipv6: true);
        Assert.Equal(
            [new PortBinding("", 8080, 80, "tcp"), new PortBinding("::", 8080, 80, "tcp")],
            allocator.Assign([new PortBinding("", 8080, 80, "tcp")], [], "web"));
    }

    [Fact]
    public void Assign_Sctp_StaysIpv4()
    {
        var allocator = new PortAllocator(_ => true, (40000, 40010), ipv6: true);
        Assert.Equal([new PortBinding("", 9000, 9000, "sctp")], allocator.Assign([new PortBinding("", 9000, 9000, "sctp")], [], "web"));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::")]
    public void Assign_ExplicitAddress_IsThatAddressOnly(string ip)
    {
        var allocator = new PortAllocator(_ => true, (40000, 40010), ipv6: true);
        Assert.Equal([new PortBinding(ip, 8080, 80, "tcp")], allocator.Assign([new PortBinding(ip, 8080, 80, "tcp")], [], "web"));
    }

    [Fact]
    public void Assign_NoIpv6OnHost_Ipv4Only()
    {
        var allocator = new PortAllocator(_ => true, (40000, 40010), ipv6: false);
        Assert.Equal([new PortBinding("", 8080, 80, "tcp")], allocator.Assign([new PortBinding("", 8080, 80, "tcp")], [], "web"));
    }

    [Fact]
    public void Clash_IsPerAddressFamily()
    {
        Assert.False(PortAllocator.Clash(new PortBinding("", 8080, 80, "tcp"), new PortBinding("::", 8080, 80, "tcp")));
        Assert.True(PortAllocator.Clash(new PortBinding("::1", 8080, 80, "tcp"), new PortBinding("::", 8080, 81, "tcp")));
        Assert.True(PortAllocator.Clash(new PortBinding("0.0.0.0", 8080, 80, "tcp"), new PortBinding("127.0.0.1", 8080, 81, "tcp")));
        Assert.False(PortAllocator.Clash(new PortBinding("::1", 8080, 80, "tcp"), new PortBinding("127.0.0.1", 8080, 81, "tcp")));
    }

    [Fact]
    public void Assign_Ipv6Taken_SaysColonColonColon()
    {
        var allocator = new PortAllocator(_ => true, (40000, 40010), ipv6: true);
        var e = Assert.Throws<EngineException>(() => allocator.Assign([new PortBinding("", 8080, 80, "tcp")], [new PortBinding("::1", 8080, 81, "tcp")], "web"));
        Assert.Equal("driver failed programming external connectivity on endpoint web: Bind for :::8080 failed: port is already allocated", e.Message);
    }

    [Fact]
    public void Assign_Ipv6BusyOnHost_SaysListenTcp6()
    {
        var allocator = new PortAllocator(b => !b.IsIpv6, (40000, 40010), ipv6: true);
        var e = Assert.Throws<EngineException>(() => allocator.Assign([new PortBinding("", 8080, 80, "tcp")], [], "web"));
        Assert.EndsWith("Error starting userland proxy: listen tcp6 [::]:8080: bind: address already in use", e.Message, StringComparison.Ordinal);
    }

    // libnetwork's portallocator: the first random port is the range's start, then each one follows
    // the last handed out (per host address and protocol), skipping ports in use, wrapping at the end.
    [Fact]
    public void Assign_Random_InOrderFromRangeStart_HighestContainerPortFirst()
    {
        var allocator = new PortAllocator(_ => true, (40000, 40010), ipv6: true);
        var cursors = new Dictionary<string, int>();
        var first = allocator.Assign([new PortBinding("", 0, 80, "tcp"), new PortBinding("", 0, 443, "tcp")], [], "web", cursors);
        Assert.Equal(
            [new PortBinding("", 40000, 443, "tcp"), new PortBinding("::", 40000, 443, "tcp"), new PortBinding("", 40001, 80, "tcp"), new PortBinding("::", 40001, 80, "tcp")],
            first);

        // The next container continues after 40001 even though nothing holds 40000 any more.
        var second = allocator.Assign([new PortBinding("", 0, 80, "tcp")], [], "web2", cursors);
        Assert.Equal([40002, 40002], second.Select(b => b.HostPort));

        // Other protocols and addresses keep their own cursor.
        Assert.Equal(40000, allocator.Assign([new PortBinding("", 0, 53, "udp")], [], "dns", cursors)[0].HostPort);
        Assert.Equal(40000, allocator.Assign([new PortBinding("127.0.0.1", 0, 53, "tcp")], [], "dns", cursors)[0].HostPort);
    }

    [Fact]
    public void Assign_Random_WrapsAtTheEnd_AndSkipsPortsInUse()
    {
        var allocator = new PortAllocator(b => b.HostPort != 40001, (40000, 40003), kernelPorts: () => new HashSet<string> { "tcp/40002" });
        var cursors = new Dictionary<string, int> { ["0.0.0.0/tcp"] = 40003 };
        Assert.Equal(40000, allocator.Assign([new PortBinding("", 0, 80, "tcp")], [], "web", cursors)[0].HostPort);

        // 40001 busy on the host, 40002 published by another store's container (nft), 40003 free.
        Assert.Equal(40003, allocator.Assign([new PortBinding("", 0, 80, "tcp")], [new PortBinding("", 40000, 80, "tcp")], "web", cursors)[0].HostPort);
    }

    [Fact]
    public void DockerOrder_ExplicitHostPortsFirst_ThenHigherContainerPorts_TcpFirst() => Assert.Equal(
        [new PortBinding("", 9000, 80, "tcp"), new PortBinding("", 0, 443, "tcp"), new PortBinding("", 0, 53, "tcp"), new PortBinding("", 0, 53, "udp")],
        PortAllocator.DockerOrder([new PortBinding("", 0, 53, "udp"), new PortBinding("", 0, 53, "tcp"), new PortBinding("", 0, 443, "tcp"), new PortBinding("", 9000, 80, "tcp")]));

    [Fact]
    public void TryBind_Ipv6PortHeldByListener_IsNotFree_Ipv4OneIs()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.IPv6Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        Assert.False(PortAllocator.TryBind(new PortBinding("::1", port, 80, "tcp")));
        Assert.True(PortAllocator.TryBind(new PortBinding("127.0.0.1", port, 80, "tcp")));
    }

    [Fact]
    public void ReadEphemeralRange_ParsesKernelFile()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "32768\t60999\n");
        Assert.Equal((32768, 60999), PortAllocator.ReadEphemeralRange(file));
        File.Delete(file);
        Assert.Equal((32768, 60999), PortAllocator.ReadEphemeralRange("/nonexistent/range"));
    }

    [Fact]
    public void TryBind_PortHeldByListener_IsNotFree()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        Assert.False(PortAllocator.TryBind(new PortBinding("127.0.0.1", port, 80, "tcp")));
    }
}
