using Anchor.Runtime.Security;

namespace Anchor.Runtime.Tests.Security;

public sealed class CapabilitiesTests
{
    [Fact]
    public void DefaultSet_MatchesDockersMask() =>
        Assert.Equal(0x00000000a80425fbUL, Capabilities.ToMask(Capabilities.Default));

    [Fact]
    public void All_IsIndexedByNumber()
    {
        Assert.Equal(41, Capabilities.All.Count);
        Assert.Equal("CAP_CHOWN", Capabilities.Name(0));
        Assert.Equal("CAP_SYS_ADMIN", Capabilities.Name(21));
        Assert.Equal("CAP_AUDIT_READ", Capabilities.Name(37));
        Assert.Equal("CAP_CHECKPOINT_RESTORE", Capabilities.Name(40));
        Assert.Throws<ArgumentOutOfRangeException>(() => Capabilities.Name(41));
        for (var i = 0; i < Capabilities.All.Count; i++)
        {
            Assert.Equal(i, Capabilities.Number(Capabilities.All[i]));
        }
    }

    [Theory]
    [InlineData("CAP_NET_RAW", 13)]
    [InlineData("net_raw", 13)]
    [InlineData("Cap_Setfcap", 31)]
    [InlineData(" sys_chroot ", 18)]
    public void Number_AcceptsDockerSpellings(string name, int expected) =>
        Assert.Equal(expected, Capabilities.Number(name));

    [Fact]
    public void Number_Unknown_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Capabilities.Number("foo"));
        Assert.Equal("unknown capability: \"CAP_FOO\"", e.Message);
        Assert.False(Capabilities.TryGetNumber("CAP_ALL", out _));
    }

    [Fact]
    public void Mask_RoundTrips()
    {
        Assert.Equal(
            ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
             "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP"],
            Capabilities.FromMask(0xa80425fb));
        Assert.Equal(1UL << 40, Capabilities.ToMask(["checkpoint_restore"]));
        Assert.Equal((1UL << 41) - 1, Capabilities.ToMask(Capabilities.All));
    }

    [Fact]
    public void Resolve_NothingGiven_IsDefault() =>
        Assert.Equal(Capabilities.Default, Capabilities.Resolve([], []));

    [Fact]
    public void Resolve_DropThenAdd()
    {
        var caps = Capabilities.Resolve(["sys_admin", "CAP_NET_ADMIN"], ["net_raw", "CAP_MKNOD"]);

        Assert.DoesNotContain("CAP_NET_RAW", caps);
        Assert.DoesNotContain("CAP_MKNOD", caps);
        Assert.Contains("CAP_SYS_ADMIN", caps);
        Assert.Contains("CAP_NET_ADMIN", caps);
        Assert.Equal(Capabilities.Default.Count, caps.Count);
    }

    [Fact]
    public void Resolve_AddAll_MinusDrops()
    {
        var caps = Capabilities.Resolve(["all"], ["chown"]);

        Assert.Equal(40, caps.Count);
        Assert.DoesNotContain("CAP_CHOWN", caps);
        Assert.Contains("CAP_SYS_ADMIN", caps);
    }

    [Fact]
    public void Resolve_DropAll_KeepsOnlyAdds() =>
        Assert.Equal(["CAP_CHOWN", "CAP_KILL"], Capabilities.Resolve(["chown", "KILL", "cap_chown"], ["ALL"]));

    [Fact]
    public void Resolve_AddAllWinsOverDropAll() =>
        Assert.Equal(Capabilities.All, Capabilities.Resolve(["ALL"], ["ALL"]));

    [Fact]
    public void Resolve_AddingADefault_DoesNotDuplicate() =>
        Assert.Equal(Capabilities.Default, Capabilities.Resolve(["CHOWN"], []));

    [Theory]
    [InlineData("NOPE", "CAP_NOPE")]
    [InlineData("cap_all", "CAP_ALL")]
    public void Resolve_Unknown_Throws(string name, string reported)
    {
        var e = Assert.Throws<ArgumentException>(() => Capabilities.Resolve([name], []));
        Assert.Equal($"unknown capability: \"{reported}\"", e.Message);
        Assert.Throws<ArgumentException>(() => Capabilities.Resolve([], [name]));
    }

    [Fact]
    public void LastCap_MatchesKernel()
    {
        var expected = int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, Capabilities.LastCap());
        Assert.True(Capabilities.LastCap() >= 37);
    }
}
