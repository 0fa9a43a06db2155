using System.Net;

namespace Anchor.Network.Tests;

public sealed class NamesTests
{
    [Fact]
    public void Container_IsEthN() => Assert.Equal("eth1", VethNames.Container(1));

    [Fact]
    public void MacFor_IsDockersScheme() =>
        Assert.Equal("02:42:0a:58:00:02", Ipv4.FormatMac(Ipv4.MacFor(IPAddress.Parse("10.88.0.2"))));

    [Fact]
    public void Broadcast_SetsHostBits() =>
        Assert.Equal(IPAddress.Parse("10.88.255.255"), Ipv4.Broadcast(IPAddress.Parse("10.88.0.1"), 16));
}
