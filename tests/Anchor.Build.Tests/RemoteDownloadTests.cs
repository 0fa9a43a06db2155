using System.Net.Http.Headers;
using Anchor.Build.Context;

namespace Anchor.Build.Tests;

/// <summary>The name an ADD URL gets in a destination directory (moby's getFilenameForDownload, BuildKit's fallback).</summary>
public sealed class RemoteDownloadTests
{
    [Theory]
    [InlineData("http://h/a/b/pkg.tar.gz", null, "pkg.tar.gz")]
    [InlineData("http://h/a/b/pkg%20x.txt?q=1", null, "pkg x.txt")]
    [InlineData("http://h/dir/", "attachment; filename=\"given.bin\"", "given.bin")]
    [InlineData("http://h/", "attachment; filename=\"../x/y.bin\"", "y.bin")]
    [InlineData("http://h/", null, "__unnamed__")]
    [InlineData("http://h/a/", "attachment; filename=\"dir/\"", "__unnamed__")]
    public void NameOf(string url, string? disposition, string expected) =>
        Assert.Equal(expected, RemoteDownload.NameOf(new Uri(url), disposition is null ? null : ContentDispositionHeaderValue.Parse(disposition)));

    [Theory]
    [InlineData("http://x/y", true)]
    [InlineData("https://x/y", true)]
    [InlineData("ftp://x/y", false)]
    [InlineData("HTTP://x", false)]
    [InlineData("local/http://x", false)]
    public void IsUrl(string source, bool expected) => Assert.Equal(expected, RemoteDownload.IsUrl(source));
}
