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
