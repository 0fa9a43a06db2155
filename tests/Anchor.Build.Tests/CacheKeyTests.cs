using Anchor.Build.Cache;
using Anchor.Build.Dockerfile;
using Anchor.Images.Cache;

namespace Anchor.Build.Tests;

public sealed class CacheKeyTests
{
    [Fact]
    public void Compute_SameInputs_SameKey() =>
        Assert.Equal(CacheKey.Compute("sha256:a", "RUN x", ["A=1"], "c"), CacheKey.Compute("sha256:a", "RUN x", ["A=1"], "c"));

    [Fact]
    public void Compute_ArgOrderDoesNotMatter() =>
        Assert.Equal(CacheKey.Compute("p", "RUN x", ["A=1", "B=2"]), CacheKey.Compute("p", "RUN x", ["B=2", "A=1"]));

    [Theory]
    [InlineData("sha256:b", "RUN x", "A=1", "c")]
    [InlineData("sha256:a", "RUN y", "A=1", "c")]
    [InlineData("sha256:a", "RUN x", "A=2", "c")]
    [InlineData("sha256:a", "RUN x", "A=1", "d")]
    public void Compute_AnyChange_ChangesKey(string parent, string text, string arg, string content) =>
        Assert.NotEqual(CacheKey.Compute("sha256:a", "RUN x", ["A=1"], "c"), CacheKey.Compute(parent, text, [arg], content));

    [Fact]
    public void CacheIndex_PutThenFind_RoundTrips()
    {
        var root = Path.Combine(Path.GetTempPath(), "anchor-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            var index = new CacheIndex(root);
            Assert.Null(index.Find("k"));
            index.Put("k", "sha256:1");
            index.Put("k2", "sha256:2");
            Assert.Equal("sha256:1", new CacheIndex(root).Find("k"));
            Assert.Equal("sha256:2", new CacheIndex(root).Find("k2"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("30s", 30_000_000_000L)]
    [InlineData("1m30s", 90_000_000_000L)]
    [InlineData("500ms", 500_000_000L)]
    [InlineData("1h", 3_600_000_000_000L)]
    [InlineData("0", 0L)]
    public void GoDuration_Parses(string text, long nanoseconds) => Assert.Equal(nanoseconds, GoDuration.Parse(text));

    [Theory]
    [InlineData("10")]
    [InlineData("3x")]
    [InlineData("")]
    public void GoDuration_BadInput_Throws(string text) => Assert.Throws<BuildException>(() => GoDuration.Parse(text));
}
