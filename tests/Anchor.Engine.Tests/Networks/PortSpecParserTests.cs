using Anchor.Engine.Networks;

namespace Anchor.Engine.Tests.Networks;

public sealed class PortSpecParserTests
{
    [Theory]
    [InlineData("8080:80", "", 8080, 80, "tcp")]
    [InlineData("80", "", 0, 80, "tcp")]
    [InlineData("127.0.0.1:8443:443/tcp", "127.0.0.1", 8443, 443, "tcp")]
    [InlineData("127.0.0.1::80", "127.0.0.1", 0, 80, "tcp")]
    [InlineData("0.0.0.0:53:53/udp", "", 53, 53, "udp")]
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
    [InlineData("8080:abc", "invalid containerPort: abc")]
    [InlineData("8080:0", "invalid containerPort: 0")]
    [InlineData("8080:70000", "invalid containerPort: 70000")]
    [InlineData("x:80", "invalid hostPort: x")]
    [InlineData("8080:80/icmp", "invalid proto: icmp")]
    [InlineData("300.1.1.1:80:80", "invalid IP address: 300.1.1.1")]
    [InlineData("8000-8002:80-81", "invalid ranges specified for container and host Ports: 80-81 and 8000-8002")]
    [InlineData("81-80", "invalid containerPort: 81-80")]
    [InlineData("", "invalid containerPort: ")]
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

    [Fact]
    public void PortsColumn_PublishedThenExposedOnly() => Assert.Equal(
        "0.0.0.0:8080->80/tcp, 127.0.0.1:8443->443/tcp, 9000/tcp",
        PortsColumn.Format([new PortBinding("127.0.0.1", 8443, 443, "tcp"), new PortBinding("", 8080, 80, "tcp")], ["80/tcp", "9000/tcp"]));
}
