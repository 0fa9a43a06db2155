using Anchor.Engine.Logs;

namespace Anchor.Engine.Tests.Logs;

public sealed class LogWindowTests
{
    [Fact]
    public void Check_SinceIsInclusiveAndCheckedUntilTheFirstLineInside()
    {
        var window = new LogWindow(since: 10, until: null);
        Assert.Equal(LogVerdict.Skip, window.Check(9));
        Assert.Equal(LogVerdict.Show, window.Check(10));
        // docker stops checking since after the first line inside (stamps need not be monotonic).
        Assert.Equal(LogVerdict.Show, window.Check(5));
    }

    [Fact]
    public void Check_UntilIsInclusiveAndTheFirstLineAfterItEnds()
    {
        var window = new LogWindow(since: null, until: 20);
        Assert.Equal(LogVerdict.Show, window.Check(20));
        Assert.Equal(LogVerdict.Stop, window.Check(21));
        Assert.False(new LogWindow(null, null).Active);
    }
}
