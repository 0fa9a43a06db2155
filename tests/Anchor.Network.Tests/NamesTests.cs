using System.Net;

namespace Anchor.Network.Tests;

public sealed class NamesTests
{
    [Fact]
    public void Host_IsAtMostFifteenCharacters_AndRoundTrips()
    {
        var name = VethNames.Host("0123456789abcdef", 11);
        Assert.Equal("av0123456789abb", name);
        Assert.Equal("0123456789ab", VethNames.ContainerIdPrefix(name));
    }

    [Theory]
    [InlineData("eth0")]
    [InlineData("av0123")]
    [InlineData("anchor0")]
    public void ContainerIdPrefix_OtherNames_Null(string name) => Assert.Null(VethNames.ContainerIdPrefix(name));

    [Fact]
    public void MacFor_IsDockersScheme() =>
        Assert.Equal("02:42:0a:58:00:02", Ipv4.FormatMac(Ipv4.MacFor(IPAddress.Parse("10.88.0.2"))));

    [Fact]
    public void Broadcast_SetsHostBits() =>
        Assert.Equal(IPAddress.Parse("10.88.255.255"), Ipv4.Broadcast(IPAddress.Parse("10.88.0.1"), 16));
}
