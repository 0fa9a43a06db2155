using Anchor.Engine.Logs;

namespace Anchor.Engine.Tests.Logs;

/// <summary>Go's time.ParseDuration grammar (expected values as Go gives them).</summary>
public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("5s", 5_000_000_000L)]
    [InlineData("+5s", 5_000_000_000L)]
    [InlineData("-5s", -5_000_000_000L)]
    [InlineData("1h30m", 5_400_000_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("1.s", 1_000_000_000L)]
    [InlineData("100ns", 100L)]
    [InlineData("3us", 3_000L)]
    [InlineData("3\u00B5s", 3_000L)]
    [InlineData("3\u03BCs", 3_000L)]
    [InlineData("7ms", 7_000_000L)]
    [InlineData("1h1m1s1ms1us1ns", 3_661_001_001_001L)]
    [InlineData("2562047h47m16.854775807s", long.MaxValue)]
    [InlineData("-2562047h47m16.854775808s", long.MinValue)]
    [InlineData("9223372036854775807ns", long.MaxValue)]
    public void TryParse_Valid(string s, long nanoseconds)
    {
        Assert.True(GoDuration.TryParse(s, out var d), s);
        Assert.Equal(nanoseconds, d);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("s")]
    [InlineData(".s")]
    [InlineData("5x")]
    [InlineData("5 s")]
    [InlineData("-")]
    [InlineData("2562047h47m16.854775808s")]
    [InlineData("9999999999h")]
    [InlineData("2013-01-02")]
    public void TryParse_Invalid(string s) => Assert.False(GoDuration.TryParse(s, out _), s);
}
