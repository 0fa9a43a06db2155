using Anchor.Images.Layers;
using Anchor.Images.Registry;

namespace Anchor.Images.Tests.Registry;

public sealed class PushOptionsTests
{
    [Fact]
    public void Parse_NoFlags_IsTheDefaultPush()
    {
        var options = PushOptions.Parse(null, null, null);
        Assert.Null(options.Format);
        Assert.True(options.IsDefaultCompression);
    }

    [Fact]
    public void Parse_GzipWithLevel_IsNotTheRememberedDefault()
    {
        Assert.True(PushOptions.Parse("v2s2", "gzip", null).IsDefaultCompression);
        var options = PushOptions.Parse("v2s2", "gzip", 1);
        Assert.False(options.IsDefaultCompression);
        Assert.Equal(Compression.Gzip, options.Compression);
    }

    [Fact]
    public void Parse_ZstdWithOci_TakesLevelsUpTo22()
    {
        var options = PushOptions.Parse("oci", "zstd", 22);
        Assert.Equal(Compression.Zstd, options.Compression);
        Assert.False(options.IsDefaultCompression);
    }

    [Theory]
    [InlineData("v2s2", "zstd", null, "--compression-format zstd needs --format oci")]
    [InlineData("docker", null, null, "invalid --format \"docker\"")]
    [InlineData(null, "xz", null, "invalid --compression-format \"xz\"")]
    [InlineData(null, null, 10, "invalid --compression-level 10: gzip takes 0 to 9")]
    [InlineData("oci", "zstd", 0, "invalid --compression-level 0: zstd takes 1 to 22")]
    public void Parse_BadValues_Throw(string? format, string? compression, int? level, string message)
    {
        var e = Assert.Throws<ImageException>(() => PushOptions.Parse(format, compression, level));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}
