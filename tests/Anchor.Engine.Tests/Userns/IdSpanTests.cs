using Anchor.Engine.Userns;

namespace Anchor.Engine.Tests.Userns;

public sealed class IdSpanTests
{
    [Fact]
    public void From_NoAnchorEntries_IsTheDefaultHighSpan()
    {
        Assert.Equal(IdSpan.Default, IdSpan.From("alice:100000:65536\n", "alice:100000:65536\n"));
        Assert.Equal(IdSpan.Default, IdSpan.From(null, null));
        Assert.Equal(1_000_000_000u, IdSpan.Default.UidBase);
    }

    [Fact]
    public void From_AnchorEntries_AreUsed_TheSmallerCountWins()
    {
        var span = IdSpan.From("alice:100000:65536\nanchor:3000000:655360\n", "anchor:4000000:131072\n");
        Assert.Equal(new IdSpan(3_000_000, 4_000_000, 131072), span);
    }

    [Fact]
    public void From_OnlySubuid_IsTheDefault()
    {
        Assert.Equal(IdSpan.Default, IdSpan.From("anchor:3000000:655360\n", ""));
    }
}
