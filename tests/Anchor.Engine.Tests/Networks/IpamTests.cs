using Anchor.Engine.Networks;

namespace Anchor.Engine.Tests.Networks;

public sealed class IpamTests
{
    private static readonly Cidr Subnet = Cidr.Parse("10.77.0.0/24");
    private static readonly uint Gateway = Subnet.FirstHost;

    [Fact]
    public void NextSubnet_Empty_Is172_30()
    {
        Assert.Equal("172.30.0.0/16", Ipam.NextSubnet([], []).ToString());
    }

    [Fact]
    public void NextSubnet_SkipsNetworksAndHostRoutes()
    {
        var next = Ipam.NextSubnet([Cidr.Parse("172.30.0.0/16")], [Cidr.Parse("172.31.5.0/24"), Cidr.Parse("172.18.0.0/16")]);
        Assert.Equal("172.19.0.0/16", next.ToString());
    }

    [Fact]
    public void NextSubnet_HostRouteCoveringAPool_SkipsIt()
    {
        // A host on 172.16.0.0/12 (all of 172.16–31) pushes networks to 192.168.x.
        var next = Ipam.NextSubnet([], [Cidr.Parse("172.16.0.0/12")]);
        Assert.Equal("192.168.0.0/20", next.ToString());
    }

    [Fact]
    public void NextSubnet_AllTaken_SaysNoPool()
    {
        var e = Assert.Throws<EngineException>(() => Ipam.NextSubnet([Cidr.Parse("0.0.0.0/0")], []));
        Assert.Contains("could not find an available, non-overlapping IPv4 address pool", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckNoOverlap_Overlapping_SaysDockersPoolOverlaps()
    {
        var e = Assert.Throws<EngineException>(() => Ipam.CheckNoOverlap(Cidr.Parse("10.77.0.128/25"), [Cidr.Parse("172.29.0.0/16"), Subnet]));
        Assert.Equal("Error response from daemon: invalid pool request: Pool overlaps with other one on this address space", e.Shown());
        Ipam.CheckNoOverlap(Cidr.Parse("10.78.0.0/24"), [Subnet]);
    }

    [Fact]
    public void Allocate_Empty_TakesFirstAfterGateway()
    {
        Assert.Equal("10.77.0.2", Ipv4.Format(Ipam.Allocate(Subnet, Gateway, new HashSet<uint>(), "n", "id")));
    }

    [Fact]
    public void Allocate_GatewayElsewhere_TakesDotOne()
    {
        var gateway = Ipam.Gateway(Subnet, "10.77.0.254");
        Assert.Equal("10.77.0.1", Ipv4.Format(Ipam.Allocate(Subnet, gateway, new HashSet<uint>(), "n", "id")));
    }

    [Fact]
    public void Allocate_TakesLowestFreeHole()
    {
        var used = new HashSet<uint> { A("10.77.0.2"), A("10.77.0.4") };
        Assert.Equal("10.77.0.3", Ipv4.Format(Ipam.Allocate(Subnet, Gateway, used, "n", "id")));
    }

    [Fact]
    public void Allocate_Full_NeverHandsOutBroadcast()
    {
        var small = Cidr.Parse("10.9.0.0/30"); // .0 network, .1 gateway, .2 host, .3 broadcast
        var used = new HashSet<uint> { A("10.9.0.2") };
        var e = Assert.Throws<EngineException>(() => Ipam.Allocate(small, small.FirstHost, used, "tiny", "abc"));
        Assert.Equal("Error response from daemon: no available IPv4 addresses on this network's address pools: tiny (abc)", e.Shown());
    }

    [Fact]
    public void Request_InsideAndFree_IsGranted()
    {
        Assert.Equal("10.77.0.9", Ipv4.Format(Ipam.Request(Subnet, Gateway, new HashSet<uint>(), "10.77.0.9")));
    }

    [Theory]
    [InlineData("10.0.0.9")]
    [InlineData("10.77.0.0")]
    [InlineData("10.77.0.255")]
    public void Request_OutsideSubnet_SaysNotInSubnet(string ip)
    {
        var e = Assert.Throws<EngineException>(() => Ipam.Request(Subnet, Gateway, new HashSet<uint>(), ip));
        Assert.Equal($"Error response from daemon: Invalid address {ip}: It does not belong to any of this network's subnets", e.Shown());
    }

    [Fact]
    public void Request_InUseOrGateway_SaysAddressAlreadyInUse()
    {
        var used = new HashSet<uint> { A("10.77.0.9") };
        Assert.Equal("Error response from daemon: Address already in use", Assert.Throws<EngineException>(() => Ipam.Request(Subnet, Gateway, used, "10.77.0.9")).Shown());
        Assert.Equal("Error response from daemon: Address already in use", Assert.Throws<EngineException>(() => Ipam.Request(Subnet, Gateway, used, "10.77.0.1")).Shown());
    }

    [Fact]
    public void Gateway_OutsideSubnet_SaysNoMatchingSubnet()
    {
        var e = Assert.Throws<EngineException>(() => Ipam.Gateway(Subnet, "10.78.0.1"));
        Assert.Equal("Error response from daemon: no matching subnet for gateway 10.78.0.1", e.Shown());
    }

    [Fact]
    public void MacAddress_IsDockers0242PlusAddress() => Assert.Equal("02:42:0a:4d:00:09", Ipam.MacAddress(A("10.77.0.9")));

    [Fact]
    public void HostRoutes_Parse_ReadsConnectedSubnetsSkipsDefault()
    {
        const string table =
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
            "eth0\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n" +
            "eth0\t0002A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n" +
            "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n";
        Assert.Equal(["192.168.2.0/24", "172.17.0.0/16"], HostRoutes.Parse(table).Select(c => c.ToString()));
    }

    private static uint A(string text) => Ipv4.TryParse(text, out var a) ? a : throw new ArgumentException(text);
}
