using System.Net;
using Anchor.Network.Nft;

namespace Anchor.Network.Tests;

public sealed class NftRulesetTests
{
    private const string Id = "0123456789abcdef0123";

    [Fact]
    public void EnsureNetwork_MasqueradesTheSubnetLeavingThroughAnotherInterface()
    {
        var text = NftRuleset.EnsureNetwork(new BridgeSpec("anchor0", IPNetwork.Parse("10.88.0.0/16"), IPAddress.Parse("10.88.0.1")));
        Assert.Contains("add rule ip anchor nat-anchor0 ip saddr 10.88.0.0/16 oifname != \"anchor0\" masquerade\n", text);
        Assert.Contains("add rule ip anchor fwd-anchor0 oifname != \"anchor0\" oifname @bridges drop\n", text);
        Assert.Contains("add element ip anchor nat-nets { \"anchor0\" : jump nat-anchor0 }\n", text);
        Assert.Contains("add chain ip anchor prerouting { type nat hook prerouting priority dstnat; policy accept; }\n", text);
        Assert.Contains("add rule ip anchor prerouting fib daddr type local meta l4proto . th dport vmap @ports\n", text);
    }

    [Fact]
    public void EnsureNetwork_Internal_NoMasqueradeAndNoWayOut()
    {
        var text = NftRuleset.EnsureNetwork(new BridgeSpec("an-int", IPNetwork.Parse("10.90.0.0/24"), IPAddress.Parse("10.90.0.1"), Internal: true));
        Assert.DoesNotContain("ip saddr 10.90.0.0/24", text);
        Assert.Contains("add rule ip anchor fwd-an-int oifname != \"an-int\" drop\n", text);
    }

    [Fact]
    public void Skeleton_FlushesBaseChainsBeforeRefillingThem()
    {
        var lines = NftRuleset.Skeleton().Split('\n');
        var flush = Array.IndexOf(lines, "flush chain ip anchor forward");
        Assert.True(flush > 0);
        Assert.Equal("add rule ip anchor forward ct state established,related accept", lines[flush + 1]);
    }

    [Fact]
    public void Publish_CreatesElementsExclusivelyAndDnatsPerHostIp()
    {
        var text = NftRuleset.Publish(Id, [
            new PortMapping(IPAddress.Any, 8080, IPAddress.Parse("10.88.0.2"), 80),
            new PortMapping(IPAddress.Loopback, 8443, IPAddress.Parse("10.88.0.2"), 443),
            new PortMapping(IPAddress.Any, 5353, IPAddress.Parse("10.88.0.2"), 53, "udp"),
        ]);
        Assert.Contains("add rule ip anchor pub-0123456789ab tcp dport 8080 dnat to 10.88.0.2:80\n", text);
        Assert.Contains("add rule ip anchor pub-0123456789ab ip daddr 127.0.0.1 tcp dport 8443 dnat to 10.88.0.2:443\n", text);
        Assert.Contains("add rule ip anchor pub-0123456789ab udp dport 5353 dnat to 10.88.0.2:53\n", text);
        Assert.Contains("create element ip anchor ports { tcp . 8080 : jump pub-0123456789ab, tcp . 8443 : jump pub-0123456789ab, udp . 5353 : jump pub-0123456789ab }\n", text);
    }

    [Fact]
    public void Publish_WithNetwork_ReappliesItsChainsInTheSameTransaction()
    {
        var text = NftRuleset.Publish(Id, [new PortMapping(IPAddress.Any, 80, IPAddress.Parse("10.88.0.2"), 80)],
            network: new BridgeSpec("anchor0", IPNetwork.Parse("10.88.0.0/16"), IPAddress.Parse("10.88.0.1")));
        Assert.True(text.IndexOf("add element ip anchor bridges { \"anchor0\" }", StringComparison.Ordinal) < text.IndexOf("create element ip anchor ports", StringComparison.Ordinal));
    }

    [Fact]
    public void Unpublish_DeletesElementsThenTheChain()
    {
        var text = NftRuleset.Unpublish(Id, [new PortKey("tcp", 8080), new PortKey("tcp", 8080)]);
        Assert.Equal(
            "add chain ip anchor pub-0123456789ab\n" +
            "delete element ip anchor ports { tcp . 8080 }\n" +
            "flush chain ip anchor pub-0123456789ab\n" +
            "delete chain ip anchor pub-0123456789ab\n",
            text);
    }

    [Fact]
    public void RemoveNetwork_AddsBeforeDeletingSoItWorksInAnyState()
    {
        var lines = NftRuleset.RemoveNetwork("anchor0").Split('\n').ToList();
        Assert.True(lines.IndexOf("add element ip anchor bridges { \"anchor0\" }") < lines.IndexOf("delete element ip anchor bridges { \"anchor0\" }"));
        Assert.Equal("delete chain ip anchor fwd-anchor0", lines[^2]);
    }

    [Fact]
    public void Resync_RebuildsTheTableInOneTransaction()
    {
        var text = NftRuleset.Resync(
            [new BridgeSpec("anchor0", IPNetwork.Parse("10.88.0.0/16"), IPAddress.Parse("10.88.0.1"))],
            [new ContainerPorts(Id, [new PortMapping(IPAddress.Any, 80, IPAddress.Parse("10.88.0.2"), 80)]), new ContainerPorts("ffffffffffff", [])]);
        Assert.StartsWith("add table ip anchor\ndelete table ip anchor\nadd table ip anchor\n", text);
        Assert.Contains("add element ip anchor ports { tcp . 80 : jump pub-0123456789ab }", text);
        Assert.DoesNotContain("pub-ffffffffffff", text);
    }

    [Theory]
    [InlineData("br0\"; flush ruleset")]
    [InlineData("0startsdigit")]
    [InlineData("waytoolongbridgename")]
    public void EnsureNetwork_RejectsNamesThatAreNotPlainInterfaceNames(string bridge) =>
        Assert.Throws<ArgumentException>(() => NftRuleset.EnsureNetwork(new BridgeSpec(bridge, IPNetwork.Parse("10.0.0.0/24"), IPAddress.Parse("10.0.0.1"))));

    [Fact]
    public void Publish_RejectsUnknownProtocol() =>
        Assert.Throws<ArgumentException>(() => NftRuleset.Publish(Id, [new PortMapping(IPAddress.Any, 1, IPAddress.Loopback, 1, "icmp")]));

    [Fact]
    public void ParsePorts_ReadsNftsListing()
    {
        const string listing = """
            table ip anchor {
            	map ports {
            		type inet_proto . inet_service : verdict
            		elements = { udp . 53 : jump pub-0123456789ab,
            			     tcp . 8080 : jump pub-abcdefabcdef }
            	}
            }
            """;
        Assert.Equal(
            [(new PortKey("udp", 53), "pub-0123456789ab"), (new PortKey("tcp", 8080), "pub-abcdefabcdef")],
            NftRuleset.ParsePorts(listing));
    }

    [Fact]
    public void ParsePublisherChains_FindsCtrChains()
    {
        const string listing = "table ip anchor {\n\tchain pub-0123456789ab {\n\t}\n\tchain nat-anchor0 {\n\t}\n}\n";
        Assert.Equal(["pub-0123456789ab"], NftRuleset.ParsePublisherChains(listing));
    }
}
