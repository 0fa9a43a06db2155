using Anchor.Engine.Userns;

namespace Anchor.Engine.Tests.Userns;

public sealed class IdRangeTableTests
{
    [Fact]
    public void Allocate_Empty_StartsAtTheSpansBase()
    {
        var table = new IdRangeTable([]);
        Assert.Equal(new IdRange("a", 0, 65536), table.Allocate("a", 65536, 0, 1_000_000));
    }

    [Fact]
    public void Allocate_TwoContainers_GetDisjointRanges()
    {
        var table = new IdRangeTable([]);
        var a = table.Allocate("a", 65536, 0, 1_000_000)!;
        var b = table.Allocate("b", 1000, 0, 1_000_000)!;
        Assert.False(a.Overlaps(b.Start, b.End));
        Assert.Equal(65536u, b.Start);
    }

    [Fact]
    public void Allocate_SameContainer_KeepsItsRange()
    {
        var table = new IdRangeTable([]);
        var first = table.Allocate("a", 10, 0, 100);
        Assert.Equal(first, table.Allocate("a", 50, 0, 100));
        Assert.Single(table.Ranges);
    }

    [Fact]
    public void Allocate_FillsTheFirstGapThatFits()
    {
        var table = new IdRangeTable([new IdRange("a", 0, 10), new IdRange("c", 15, 10), new IdRange("d", 40, 10)]);
        Assert.Equal(new IdRange("b", 25, 15), table.Allocate("b", 15, 0, 100));
        Assert.Equal(new IdRange("e", 10, 5), table.Allocate("e", 5, 0, 100));
    }

    [Fact]
    public void Allocate_SpanFull_IsNull()
    {
        var table = new IdRangeTable([new IdRange("a", 0, 60)]);
        Assert.Null(table.Allocate("b", 50, 0, 100));
    }

    [Fact]
    public void Release_FreesTheRangeForTheNext()
    {
        var table = new IdRangeTable([]);
        table.Allocate("a", 10, 0, 100);
        table.Allocate("b", 10, 0, 100);
        Assert.True(table.Release("a"));
        Assert.False(table.Release("a"));
        Assert.Equal(new IdRange("c", 0, 10), table.Allocate("c", 10, 0, 100));
    }

    [Fact]
    public void Reclaim_DropsRangesOfContainersThatAreGone()
    {
        var table = new IdRangeTable([new IdRange("live", 0, 10), new IdRange("gone", 10, 10)]);
        Assert.True(table.Reclaim(id => id == "live"));
        Assert.Equal(["live"], table.Ranges.Select(r => r.ContainerId));
        Assert.False(table.Reclaim(id => id == "live"));
    }

    [Fact]
    public void FormatAndParse_RoundTrip_SkippingBadLines()
    {
        var table = new IdRangeTable([new IdRange("b", 100, 10), new IdRange("a", 0, 65536)]);
        var text = table.Format();
        Assert.Equal("a 0 65536\nb 100 10\n", text);
        Assert.Equal(table.Ranges, IdRangeTable.Parse(text + "junk line\nc x 1\n").Ranges);
    }
}
