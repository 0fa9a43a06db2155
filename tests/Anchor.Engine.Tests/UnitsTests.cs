using Anchor.Engine.Units;

namespace Anchor.Engine.Tests;

public sealed class UnitsTests
{
    [Theory]
    [InlineData("32m", 32L << 20)]
    [InlineData("32M", 32L << 20)]
    [InlineData("32mb", 32L << 20)]
    [InlineData("1g", 1L << 30)]
    [InlineData("1.5g", 3L << 29)]
    [InlineData("512k", 512L << 10)]
    [InlineData("1048576", 1048576)]
    [InlineData("100b", 100)]
    public void ByteSize_Parses_DockerUnits(string input, long expected)
    {
        Assert.True(ByteSize.TryParse(input, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("m")]
    [InlineData("12x")]
    [InlineData("-5m")]
    public void ByteSize_Rejects_Garbage(string input) => Assert.False(ByteSize.TryParse(input, out _));

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(999, "999B")]
    [InlineData(4_260_000, "4.26MB")]
    [InlineData(1_500_000_000, "1.5GB")]
    [InlineData(648, "648B")]
    [InlineData(1_234, "1.23kB")]
    [InlineData(4_194_304, "4.19MB")]
    [InlineData(999_700, "1e+03kB")]
    public void ByteSize_Human_MatchesDocker(long bytes, string expected) => Assert.Equal(expected, ByteSize.Human(bytes));

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(1023, "1023B")]
    [InlineData(1_613_824, "1.539MiB")]
    [InlineData(16_696_295_424, "15.55GiB")]
    [InlineData(104_857_600, "100MiB")]
    public void ByteSize_Binary_MatchesDockerMemory(long bytes, string expected) => Assert.Equal(expected, ByteSize.Binary(bytes));

    [Theory]
    [InlineData("1", 100_000)]
    [InlineData("0.5", 50_000)]
    [InlineData("1.5", 150_000)]
    public void CpuQuota_IsCpusTimesPeriod(string cpus, long quota)
    {
        Assert.True(CpuQuota.TryParse(cpus, out var q));
        Assert.Equal(quota, q);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("0.001")]
    public void CpuQuota_Rejects_Invalid(string cpus) => Assert.False(CpuQuota.TryParse(cpus, out _));

    [Fact]
    public void RelativeTime_ReadsLikeDocker()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal("Less than a second ago", RelativeTime.Ago(now, now));
        Assert.Equal("5 seconds ago", RelativeTime.Ago(now.AddSeconds(-5), now));
        Assert.Equal("About a minute ago", RelativeTime.Ago(now.AddSeconds(-70), now));
        Assert.Equal("About an hour ago", RelativeTime.Ago(now.AddMinutes(-61), now));
        Assert.Equal("3 days ago", RelativeTime.Ago(now.AddDays(-3), now));
    }
}
