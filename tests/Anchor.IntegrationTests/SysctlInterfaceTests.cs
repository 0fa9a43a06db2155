namespace Anchor.IntegrationTests;

/// <summary>--sysctl of one interface (net.ipv4.conf.eth0.*, net.ipv6.conf.eth0.*): set once the container's eth0 exists.</summary>
[Collection(AnchorCollection.Name)]
public sealed class SysctlInterfaceTests(AnchorFixture anchor)
{
    [Fact]
    public void Sysctl_OfEth0_OnTheBridge_IsSetInsideOnly()
    {
        var hostEth0 = "/proc/sys/net/ipv4/conf/eth0/arp_ignore";
        var hostBefore = File.Exists(hostEth0) ? File.ReadAllText(hostEth0) : null;
        var run = anchor.RunRm(
            ["--sysctl", "net.ipv4.conf.eth0.arp_ignore=2", "--sysctl", "net.ipv4.conf.eth0.rp_filter=2", "--sysctl", "net.ipv4.conf.all.arp_announce=1"],
            "cat", "/proc/sys/net/ipv4/conf/eth0/arp_ignore", "/proc/sys/net/ipv4/conf/eth0/rp_filter", "/proc/sys/net/ipv4/conf/all/arp_announce");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("2\n2\n1", run.Out);
        if (hostBefore is not null)
        {
            Assert.Equal(hostBefore, File.ReadAllText(hostEth0));
        }
    }

    [Fact]
    public void Sysctl_OfEth0_Ipv6_IsSet()
    {
        if (!Directory.Exists("/proc/sys/net/ipv6"))
        {
            return; // no IPv6 on this host
        }

        var run = anchor.RunRm(["--sysctl", "net.ipv6.conf.eth0.disable_ipv6=1"], "cat", "/proc/sys/net/ipv6/conf/eth0/disable_ipv6");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("1", run.Out);
    }

    [Fact]
    public void Sysctl_OfAMissingInterface_FailsAsRuncDoes_AndLeavesNoContainer()
    {
        var name = Detached.UniqueName("it-sysctl-if");
        var run = anchor.Anchor(["run", "--rm", "--name", name, "--sysctl", "net.ipv4.conf.eth9.rp_filter=1", AnchorFixture.Image, "true"]);
        Assert.Equal(125, run.ExitCode);
        Assert.Contains("write sysctl key net.ipv4.conf.eth9.rp_filter", run.Err, StringComparison.Ordinal);
        Assert.Contains("no such file or directory", run.Err, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("", anchor.Ok("ps", "-a", "-q", "--filter", "name=" + name).Out);
    }

    [Fact]
    public void Sysctl_OfLo_WithoutANetwork_IsSet()
    {
        var run = anchor.RunRm(["--network", "none", "--sysctl", "net.ipv4.conf.lo.arp_ignore=1"], "cat", "/proc/sys/net/ipv4/conf/lo/arp_ignore");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("1", run.Out);
    }
}
