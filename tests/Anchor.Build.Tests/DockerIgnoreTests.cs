using Anchor.Build.Context;

namespace Anchor.Build.Tests;

public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("secret.txt", "secret.txt", true)]
    [InlineData("secret.txt", "dir/secret.txt", false)]
    [InlineData("*.log", "a.log", true)]
    [InlineData("*.log", "dir/a.log", false)]
    [InlineData("*/*.log", "dir/a.log", true)]
    [InlineData("**/*.log", "dir/sub/a.log", true)]
    [InlineData("**/*.log", "a.log", true)]
    [InlineData("dir", "dir/sub/file", true)]
    [InlineData("/dir/", "dir/file", true)]
    [InlineData("./dir", "dir/file", true)]
    [InlineData("d?r", "dir", true)]
    [InlineData("d?r", "d/r", false)]
    [InlineData("[a-c].txt", "b.txt", true)]
    [InlineData("[!a-c].txt", "d.txt", true)]
    [InlineData("[!a-c].txt", "b.txt", false)]
    [InlineData("dir/**", "dir/x/y", true)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    [InlineData("node_modules", "src/node_modules", false)]
    public void IsExcluded_FollowsPatternRules(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, new DockerIgnore([pattern]).IsExcluded(path));

    [Fact]
    public void IsExcluded_ExceptionBringsFileBack()
    {
        var ignore = new DockerIgnore(["*.md", "!README.md"]);
        Assert.True(ignore.IsExcluded("CHANGES.md"));
        Assert.False(ignore.IsExcluded("README.md"));
    }

    [Fact]
    public void IsExcluded_LastMatchWins()
    {
        var ignore = new DockerIgnore(["!README.md", "*.md"]);
        Assert.True(ignore.IsExcluded("README.md"));
    }

    [Fact]
    public void IsExcluded_CommentsAndBlankLinesIgnored()
    {
        var ignore = new DockerIgnore(["# comment", "", "   ", "tmp"]);
        Assert.True(ignore.IsExcluded("tmp"));
        Assert.False(ignore.IsExcluded("# comment"));
    }

    [Fact]
    public void IsExcluded_ExceptionInsideExcludedDirectory()
    {
        var ignore = new DockerIgnore(["docs", "!docs/keep.md"]);
        Assert.True(ignore.IsExcluded("docs/other.md"));
        Assert.False(ignore.IsExcluded("docs/keep.md"));
    }

    [Theory]
    [InlineData("a/b/../c", "a/c")]
    [InlineData("/a//b/", "a/b")]
    [InlineData("./a/./b", "a/b")]
    [InlineData("../x", "../x")]
    [InlineData("/../x", "x")]
    [InlineData("", ".")]
    public void CleanPath_IsGoFilepathClean(string input, string expected) =>
        Assert.Equal(expected, IgnorePattern.CleanPath(input));
}
