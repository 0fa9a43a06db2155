using Anchor.Oci.Runtime;
using Anchor.Runtime.Cgroups;

namespace Anchor.Runtime.Tests.Cgroups;

public sealed class DeviceRuleSetTests
{
    /// <summary>docker's config.json allowlist (moby daemon/pkg/oci/defaults.go), written out here by hand.</summary>
    internal static readonly SpecDeviceCgroup[] DockerDefaults =
    [
        new() { Allow = false, Access = "rwm" },
        new() { Allow = true, Type = "c", Major = 1, Minor = 5, Access = "rwm" },
        new() { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" },
        new() { Allow = true, Type = "c", Major = 1, Minor = 9, Access = "rwm" },
        new() { Allow = true, Type = "c", Major = 1, Minor = 8, Access = "rwm" },
        new() { Allow = true, Type = "c", Major = 5, Minor = 0, Access = "rwm" },
        new() { Allow = true, Type = "c", Major = 5, Minor = 1, Access = "rwm" },
        new() { Allow = false, Type = "c", Major = 10, Minor = 229, Access = "rwm" },
    ];

    private const DeviceAccess R = DeviceAccess.Read, W = DeviceAccess.Write, M = DeviceAccess.Mknod;

    [Fact]
    public void ForContainer_DockerDefaults_AreTheTwelveExceptionsDockerAndRuncLeave()
    {
        var set = DeviceRuleSet.ForContainer(DockerDefaults);

        Assert.False(set.DefaultAllow);
        Assert.Equal(
            ["b *:* m", "c *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 10:200 rwm", "c 136:* rwm"],
            set.Exceptions.Select(r => r.ToString()));
        Assert.All(set.Exceptions, r => Assert.True(r.Allow));
    }

    [Theory]
    [InlineData('b', 7, 0, R | W, false)] // a host loop device
    [InlineData('b', 7, 0, M, true)] // mknod is allowed, the node useless
    [InlineData('c', 1, 11, W, false)] // /dev/kmsg
    [InlineData('c', 4, 1, R | W, false)] // a host VT
    [InlineData('c', 10, 237, R, false)] // /dev/loop-control
    [InlineData('c', 10, 229, R | W, false)] // /dev/fuse (docker denies it; nothing allows it again)
    [InlineData('c', 10, 229, M, true)] // …but runc's "c *:* m" comes after docker's deny
    [InlineData('c', 10, 183, R, false)] // /dev/hwrng
    [InlineData('c', 1, 3, R | W, true)] // /dev/null
    [InlineData('c', 1, 9, R, true)] // /dev/urandom
    [InlineData('c', 5, 0, R | W, true)] // /dev/tty
    [InlineData('c', 136, 42, R | W, true)] // /dev/pts/42
    [InlineData('c', 5, 2, R | W, true)] // /dev/ptmx
    [InlineData('c', 10, 200, R | W, true)] // /dev/net/tun
    public void ForContainer_DockerDefaults_PermitWhatDockerPermits(char type, long major, long minor, DeviceAccess access, bool expected)
    {
        Assert.Equal(expected, DeviceRuleSet.ForContainer(DockerDefaults).Permits(type, major, minor, access));
    }

    [Fact]
    public void ForContainer_NoRules_StillDeniesByDefault_WithTheRuntimesOwn()
    {
        var set = DeviceRuleSet.ForContainer(null);

        Assert.False(set.DefaultAllow);
        Assert.True(set.Permits('c', 1, 3, R | W));
        Assert.False(set.Permits('b', 7, 0, R));
        Assert.False(set.Permits('c', 5, 1, R)); // the console is docker's rule, not the runtime's
    }

    [Fact]
    public void ForContainer_Privileged_AllowsAll()
    {
        var set = DeviceRuleSet.ForContainer([new SpecDeviceCgroup { Allow = true, Access = "rwm" }]);

        Assert.True(set.AllowsAll);
        Assert.True(set.Permits('b', 7, 0, R | W | M));
    }

    [Fact]
    public void Apply_SameDeviceTwice_MergesAccess()
    {
        var set = new DeviceRuleSet();
        set.Apply(new DeviceRule('c', 10, 237, R, true));
        set.Apply(new DeviceRule('c', 10, 237, W, true));

        Assert.Equal(["c 10:237 rw"], set.Exceptions.Select(r => r.ToString()));
        Assert.True(set.Permits('c', 10, 237, R | W));
    }

    [Fact]
    public void Apply_SplitAccessOverTwoRules_DoesNotGrantBoth()
    {
        // One exception must grant every bit asked for (device_cgroup.c match_exception).
        var set = new DeviceRuleSet();
        set.Apply(new DeviceRule('c', 10, DeviceRule.Wildcard, R, true));
        set.Apply(new DeviceRule('c', 10, 237, W, true));

        Assert.True(set.Permits('c', 10, 237, R));
        Assert.True(set.Permits('c', 10, 237, W));
        Assert.False(set.Permits('c', 10, 237, R | W));
    }

    [Fact]
    public void Apply_DenyInsideAWildcardAllow_IsIgnoredAsTheKernelIgnoresIt()
    {
        var set = new DeviceRuleSet();
        set.Apply(new DeviceRule('c', DeviceRule.Wildcard, DeviceRule.Wildcard, M, true));
        set.Apply(new DeviceRule('c', 10, 229, M, false));

        Assert.True(set.Permits('c', 10, 229, M));
    }

    [Fact]
    public void Apply_DenyOfAnExactException_RemovesItsBits()
    {
        var set = new DeviceRuleSet();
        set.Apply(new DeviceRule('c', 10, 237, DeviceAccess.All, true));
        set.Apply(new DeviceRule('c', 10, 237, W, false));

        Assert.Equal(["c 10:237 rm"], set.Exceptions.Select(r => r.ToString()));
        set.Apply(new DeviceRule('c', 10, 237, R | M, false));
        Assert.Empty(set.Exceptions);
    }

    [Fact]
    public void Apply_AllRule_ResetsDefaultAndExceptions()
    {
        var set = new DeviceRuleSet();
        set.Apply(new DeviceRule('c', 1, 3, DeviceAccess.All, true));
        set.Apply(new DeviceRule('a', DeviceRule.Wildcard, DeviceRule.Wildcard, DeviceAccess.All, true));

        Assert.True(set.AllowsAll);
        set.Apply(new DeviceRule('a', DeviceRule.Wildcard, DeviceRule.Wildcard, DeviceAccess.All, false));
        Assert.False(set.DefaultAllow);
        Assert.Empty(set.Exceptions);
    }

    [Fact]
    public void AllowAllDefault_ADenyRefusesAnyOverlappingAccess()
    {
        // match_exception_partial: with an allow-all default, sharing one bit with a deny is enough.
        var set = new DeviceRuleSet();
        set.Apply(new DeviceRule('a', DeviceRule.Wildcard, DeviceRule.Wildcard, DeviceAccess.All, true));
        set.Apply(new DeviceRule('b', 7, DeviceRule.Wildcard, W, false));

        Assert.False(set.Permits('b', 7, 3, R | W));
        Assert.True(set.Permits('b', 7, 3, R));
        Assert.True(set.Permits('c', 7, 3, W));
        Assert.Equal(["b 7:* w"], set.Exceptions.Select(r => r.ToString()));
        Assert.All(set.Exceptions, r => Assert.False(r.Allow));
    }

    [Theory]
    [InlineData(null, null, null, "a")]
    [InlineData("c", 1L, 3L, "c 1:3 rwm")]
    [InlineData("b", null, null, "b *:* rwm")]
    [InlineData("c", -1L, 5L, "c *:5 rwm")]
    public void DeviceRule_FromSpec_WildcardsAndDefaults(string? type, long? major, long? minor, string expected)
    {
        var rule = DeviceRule.FromSpec(new SpecDeviceCgroup { Allow = true, Type = type, Major = major, Minor = minor, Access = "mwr" });
        Assert.Equal(expected, rule.ToString());
    }

    [Theory]
    [InlineData("x", "rwm")]
    [InlineData("cc", "rwm")]
    [InlineData("c", "rwx")]
    [InlineData("c", "")]
    [InlineData("c", null)]
    public void DeviceRule_FromSpec_RefusesBadTypeOrAccess(string type, string? access)
    {
        Assert.Throws<CgroupException>(() => DeviceRule.FromSpec(new SpecDeviceCgroup { Allow = true, Type = type, Major = 1, Minor = 3, Access = access }));
    }

    [Fact]
    public void DeviceRule_FromSpec_AllTypeNeedsNoAccess()
    {
        Assert.Equal("a", DeviceRule.FromSpec(new SpecDeviceCgroup { Allow = false }).ToString());
    }
}
