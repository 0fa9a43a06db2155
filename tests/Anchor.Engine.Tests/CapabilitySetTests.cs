using Anchor.Engine.Run;
using Anchor.Runtime.Security;

namespace Anchor.Engine.Tests;

public sealed class CapabilitySetTests
{
    [Fact]
    public void Resolve_NoFlags_IsDockersDefault() =>
        Assert.Equal(Capabilities.Default.Order(StringComparer.Ordinal), CapabilitySet.Resolve([], []).Order(StringComparer.Ordinal));

    [Fact]
    public void Resolve_DropOne_AddOne_AnyCaseWithOrWithoutPrefix()
    {
        var caps = CapabilitySet.Resolve(["sys_admin"], ["CAP_CHOWN", "net_raw"]);
        Assert.Contains("CAP_SYS_ADMIN", caps);
        Assert.DoesNotContain("CAP_CHOWN", caps);
        Assert.DoesNotContain("CAP_NET_RAW", caps);
        Assert.Contains("CAP_KILL", caps);
    }

    [Fact]
    public void Resolve_DropAll_KeepsOnlyTheAdds() =>
        Assert.Equal(["CAP_NET_BIND_SERVICE"], CapabilitySet.Resolve(["NET_BIND_SERVICE"], ["ALL"]));

    [Fact]
    public void Resolve_AddAll_IsEveryCapabilityButTheDrops()
    {
        var caps = CapabilitySet.Resolve(["all"], ["SYS_ADMIN"]);
        Assert.Equal(Capabilities.All.Count - 1, caps.Count);
        Assert.DoesNotContain("CAP_SYS_ADMIN", caps);
    }

    [Fact]
    public void Resolve_UnknownName_FailsWithDockersMessage()
    {
        var e = Assert.Throws<EngineException>(() => CapabilitySet.Resolve(["FOO"], []));
        Assert.Equal("Error response from daemon: invalid CapAdd: unknown capability: \"CAP_FOO\"", e.Shown());
        Assert.Equal(125, e.ExitCode);
    }
}
