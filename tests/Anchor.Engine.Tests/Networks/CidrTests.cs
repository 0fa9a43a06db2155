using Anchor.Engine.Networks;

namespace Anchor.Engine.Tests.Networks;

public sealed class CidrTests
{
    [Theory]
    [InlineData("10.77.0.0/24", "10.77.0.0/24")]
    [InlineData("10.77.0.9/24", "10.77.0.0/24")]
    [InlineData("172.29.0.0/16", "172.29.0.0/16")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("192.168.1.7/32", "192.168.1.7/32")]
    public void Parse_Valid_NormalisesToNetworkAddress(string text, string expected) => Assert.Equal(expected, Cidr.Parse(text).ToString());

    [Theory]
    [InlineData("10.77.0.0/33")]
    [InlineData("10.77.0/24")]
    [InlineData("10.77.0.256/24")]
    [InlineData("10.77.0.0")]
    [InlineData("10.77.0.0/")]
    [InlineData("10.77.0.0/-1")]
    [InlineData("abc")]
    [InlineData("010.0.0.0/8")]
    public void Parse_Invalid_SaysDockersInvalidSubnet(string text)
    {
        var e = Assert.Throws<EngineException>(() => Cidr.Parse(text));
        Assert.Equal($"Error response from daemon: Invalid subnet {text} : invalid CIDR address: {text}", e.Shown());
        Assert.Equal(125, e.ExitCode);
    }

    [Fact]
    public void Geometry_Slash24_FirstHostAndBroadcast()
    {
        var cidr = Cidr.Parse("10.77.0.0/24");
        Assert.Equal("10.77.0.1", Ipv4.Format(cidr.FirstHost));
        Assert.Equal("10.77.0.255", Ipv4.Format(cidr.Broadcast));
        Assert.True(cidr.Contains(Address("10.77.0.200")));
        Assert.False(cidr.Contains(Address("10.77.1.0")));
    }

    [Theory]
    [InlineData("10.77.0.0/24", "10.77.0.128/25", true)]
    [InlineData("10.77.0.128/25", "10.77.0.0/24", true)]
    [InlineData("10.0.0.0/8", "10.200.3.0/24", true)]
    [InlineData("10.77.0.0/24", "10.77.1.0/24", false)]
    [InlineData("172.29.0.0/16", "172.30.0.0/16", false)]
    public void Overlaps_IsSymmetricContainment(string a, string b, bool expected) => Assert.Equal(expected, Cidr.Parse(a).Overlaps(Cidr.Parse(b)));

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.3.999")]
    [InlineData("01.2.3.4")]
    [InlineData("1.2.3.-4")]
    [InlineData("")]
    public void Ipv4_TryParse_RejectsNonDottedQuads(string text) => Assert.False(Ipv4.TryParse(text, out _));

    private static uint Address(string text) => Ipv4.TryParse(text, out var a) ? a : throw new ArgumentException(text);
}
