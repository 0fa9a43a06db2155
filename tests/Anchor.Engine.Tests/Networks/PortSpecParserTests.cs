using Anchor.Engine.Networks;

namespace Anchor.Engine.Tests.Networks;

public sealed class PortSpecParserTests
{
    [Theory]
    [InlineData("8080:80", "", 8080, 80, "tcp")]
    [InlineData("80", "", 0, 80, "tcp")]
    [InlineData("127.0.0.1:8443:443/tcp", "127.0.0.1", 8443, 443, "tcp")]
    [InlineData("127.0.0.1::80", "127.0.0.1", 0, 80, "tcp")]
    [InlineData("0.0.0.0:53:53/udp", "0.0.0.0", 53, 53, "udp")]
    [InlineData("[::1]:8080:80", "::1", 8080, 80, "tcp")]
    [InlineData("[::]:8080:80", "::", 8080, 80, "tcp")]
    [InlineData("[0:0::1]::80/udp", "::1", 0, 80, "udp")]
    [InlineData("5353:53/UDP", "", 5353, 53, "udp")]
    public void ParsePublish_Single(string spec, string ip, int host, int container, string protocol) =>
        Assert.Equal([new PortBinding(ip, host, container, protocol)], PortSpecParser.ParsePublish(spec));

    [Fact]
    public void ParsePublish_Ranges_ExpandPairwise() => Assert.Equal(
        [new PortBinding("", 8000, 80, "tcp"), new PortBinding("", 8001, 81, "tcp")],
        PortSpecParser.ParsePublish("8000-8001:80-81"));

    [Fact]
    public void ParsePublish_ContainerRangeOnly_AllRandom() => Assert.Equal(
        [new PortBinding("", 0, 80, "tcp"), new PortBinding("", 0, 81, "tcp")],
        PortSpecParser.ParsePublish("80-81"));

    [Theory]
    [InlineData("8080:abc", "Invalid containerPort: abc")]
    [InlineData("8080:0", "Invalid containerPort: 0")]
    [InlineData("8080:70000", "Invalid containerPort: 70000")]
    [InlineData("x:80", "Invalid hostPort: x")]
    [InlineData("8080:80/icmp", "invalid proto: icmp")]
    [InlineData("300.1.1.1:80:80", "Invalid ip address: 300.1.1.1")]
    [InlineData("8000-8002:80-81", "Invalid ranges specified for container and host Ports: 80-81 and 8000-8002")]
    [InlineData("81-80", "Invalid containerPort: 81-80")]
    [InlineData("", "Invalid containerPort: ")]
    public void ParsePublish_Invalid_SaysDockersMessage(string spec, string message) =>
        Assert.Equal(message, Assert.Throws<EngineException>(() => PortSpecParser.ParsePublish(spec)).Message);

    [Fact]
    public void ParseExpose_RangeAndProtocol()
    {
        Assert.Equal(["80/tcp"], PortSpecParser.ParseExpose("80"));
        Assert.Equal(["53/udp"], PortSpecParser.ParseExpose("53/udp"));
        Assert.Equal(["8000/tcp", "8001/tcp", "8002/tcp"], PortSpecParser.ParseExpose("8000-8002"));
        Assert.Throws<EngineException>(() => PortSpecParser.ParseExpose("1:80"));
    }

    [Fact]
    public void PortBinding_ToString_IsDockerPortLine() =>
        Assert.Equal("80/tcp -> 0.0.0.0:8080", new PortBinding("", 8080, 80, "tcp").ToString());

    [Theory]
    [InlineData("[fe80::1%eth0]:8080:80")]
    [InlineData("[::g]:8080:80")]
    [InlineData("1.2.3:8080:80")]
    public void ParsePublish_BadAddress_IsRefused(string spec) =>
        Assert.StartsWith("Invalid ip address: ", Assert.Throws<EngineException>(() => PortSpecParser.ParsePublish(spec)).Message, StringComparison.Ordinal);

    [Fact]
    public void PortBinding_ToString_Ipv6_IsDocker2010PortLine() =>
        Assert.Equal("80/tcp -> :::8080", new PortBinding("::", 8080, 80, "tcp").ToString());

    // docker 20.10's DisplayablePorts: grouped runs (exposed-only, same-number mappings) first, then
    // mappings to another host port, each sorted by container port, then host address as text.
    [Fact]
    public void PortsColumn_GroupsThenMappings() => Assert.Equal(
        "9000/tcp, 0.0.0.0:8080->80/tcp, 127.0.0.1:8443->443/tcp",
        PortsColumn.Format([new PortBinding("127.0.0.1", 8443, 443, "tcp"), new PortBinding("", 8080, 80, "tcp")], ["80/tcp", "9000/tcp"]));

    [Fact]
    public void PortsColumn_Ipv4AndIpv6() => Assert.Equal(
        "0.0.0.0:8080->80/tcp, :::8080->80/tcp",
        PortsColumn.Format([new PortBinding("::", 8080, 80, "tcp"), new PortBinding("", 8080, 80, "tcp")], ["80/tcp"]));

    [Fact]
    public void PortsColumn_ConsecutiveSamePorts_AreRanges() => Assert.Equal(
        // docker's quirk kept: a run broken by a gap (7000-7001, then 9000) is written when the gap is met.
        "7000-7001/tcp, 53/udp, 0.0.0.0:80-81->80-81/tcp, :::80-81->80-81/tcp, 9000/tcp",
        PortsColumn.Format(
            [new PortBinding("", 80, 80, "tcp"), new PortBinding("::", 80, 80, "tcp"), new PortBinding("", 81, 81, "tcp"), new PortBinding("::", 81, 81, "tcp")],
            ["9000/tcp", "7001/tcp", "7000/tcp", "53/udp"]));

    [Fact]
    public void PortsColumn_UnparsableExposedKey_IsLeftOut() =>
        Assert.Equal("80/tcp", PortsColumn.Format([], ["80/tcp", "http/tcp"]));

    [Fact]
    public void PortsColumn_BrokenRun_StartsANewGroup() => Assert.Equal(
        "80/tcp, 82/tcp",
        PortsColumn.Format([], ["82/tcp", "80/tcp"]));
}
