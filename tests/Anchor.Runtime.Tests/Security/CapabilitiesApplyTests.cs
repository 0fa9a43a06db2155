using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Tests.Security;

/// <summary>
/// Capability sets, including the bounding set, belong to a thread (capabilities(7)): applying them on
/// a throwaway thread checks the real syscalls without touching the test runner's other threads.
/// </summary>
public sealed class CapabilitiesApplyTests
{
    [Fact]
    public void Apply_DefaultSet_OnThread()
    {
        if (LibC.geteuid() != 0)
        {
            return;
        }

        var caps = new SpecCapabilities
        {
            Bounding = Capabilities.Default,
            Effective = Capabilities.Default,
            Permitted = Capabilities.Default,
        };

        var sets = ThreadStatus.OnThrowawayThread(() =>
        {
            Capabilities.Apply(caps);
            return ThreadStatus.Capabilities();
        });

        Assert.Equal(0xa80425fbUL, sets["CapBnd"]);
        Assert.Equal(0xa80425fbUL, sets["CapEff"]);
        Assert.Equal(0xa80425fbUL, sets["CapPrm"]);
        Assert.Equal(0UL, sets["CapInh"]);
        Assert.Equal(0UL, sets["CapAmb"]);
    }

    [Fact]
    public void Apply_RaisesAmbient_OnThread()
    {
        if (LibC.geteuid() != 0)
        {
            return;
        }

        string[] one = ["CAP_NET_BIND_SERVICE"];
        var caps = new SpecCapabilities
        {
            Bounding = Capabilities.Default,
            Effective = one,
            Permitted = one,
            Inheritable = one,
            Ambient = one,
        };

        var sets = ThreadStatus.OnThrowawayThread(() =>
        {
            Capabilities.Apply(caps);
            return ThreadStatus.Capabilities();
        });

        Assert.Equal(0x400UL, sets["CapEff"]);
        Assert.Equal(0x400UL, sets["CapAmb"]);
        Assert.Equal(0x400UL, sets["CapInh"]);
        Assert.Equal(0xa80425fbUL, sets["CapBnd"]);
    }

    [Fact]
    public void DropBounding_LeavesOtherSetsAlone_OnThread()
    {
        if (LibC.geteuid() != 0)
        {
            return;
        }

        var (before, after) = ThreadStatus.OnThrowawayThread(() =>
        {
            var b = ThreadStatus.Capabilities();
            Capabilities.DropBounding(new SpecCapabilities { Bounding = ["CAP_KILL"] });
            return (b, ThreadStatus.Capabilities());
        });

        Assert.Equal(1UL << 5, after["CapBnd"]);
        Assert.Equal(before["CapEff"], after["CapEff"]);
        // The runner's own thread kept its bounding set.
        Assert.Equal(before["CapBnd"], ThreadStatus.Capabilities()["CapBnd"]);
    }
}
