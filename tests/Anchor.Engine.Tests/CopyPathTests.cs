using Anchor.Engine.Copy;

namespace Anchor.Engine.Tests;

/// <summary>docker cp's path rules: argument split, path cleaning, and where a copy lands (pkg/archive PrepareArchiveCopy).</summary>
public sealed class CopyPathTests
{
    [Theory]
    [InlineData("web:/etc/passwd", "web", "/etc/passwd")]
    [InlineData("web:etc", "web", "etc")]
    [InlineData("web:", "web", "")]
    [InlineData("/abs/path:x", null, "/abs/path:x")]
    [InlineData("./file:name", null, "./file:name")]
    [InlineData("relative", null, "relative")]
    [InlineData("-", null, "-")]
    public void CopyArgument_Parse_SplitsLikeDocker(string arg, string? container, string path)
    {
        var parsed = CopyArgument.Parse(arg);
        Assert.Equal(container, parsed.Container);
        Assert.Equal(path, parsed.Path);
    }

    [Theory]
    [InlineData("", ".")]
    [InlineData("/", "/")]
    [InlineData("/../../etc/passwd", "/etc/passwd")]
    [InlineData("a/./b//c/", "a/b/c")]
    [InlineData("a/../../b", "../b")]
    [InlineData("/a/b/..", "/a")]
    public void Clean_MatchesGo(string path, string expected) => Assert.Equal(expected, CopyPaths.Clean(path));

    [Theory]
    [InlineData("/../../etc/passwd", "/etc/passwd")]
    [InlineData("etc/", "/etc/")]
    [InlineData("/dir/.", "/dir/.")]
    [InlineData("dir/..", "/")]
    [InlineData("", "/")]
    public void InContainer_IsRootedAndKeepsTrailingMarkers(string path, string expected) => Assert.Equal(expected, CopyPaths.InContainer(path));

    [Theory]
    [InlineData("/a/b", "/a", "b")]
    [InlineData("/a/b/", "/a", "b")]
    [InlineData("/a/b/.", "/a/b", ".")]
    [InlineData("/", "/", "/")]
    [InlineData("/.", "/", ".")]
    public void Split_KeepsTrailingDotAsBase(string path, string dir, string name) => Assert.Equal((dir, name), CopyPaths.Split(path));

    [Theory]
    [InlineData("/d/x", "rel", "/d/rel")]
    [InlineData("/d/x", "../../../../etc", "/etc")]
    [InlineData("/d/x", "/abs", "/abs")]
    public void ResolveLink_JoinsOntoTheLinksDirectory(string link, string target, string expected) =>
        Assert.Equal(expected, CopyPaths.ResolveLink(link, target));

    [Fact]
    public void Prepare_FileIntoExistingDirectory_KeepsItsName()
    {
        var plan = CopyPlan.Prepare("/src/file", sourceIsDir: false, new CopyInfo("/dst", Exists: true, IsDir: true));
        Assert.Equal("/dst", plan.ExtractDir);
        Assert.Equal("file", plan.Rebase("file"));
    }

    [Fact]
    public void Prepare_FileOntoExistingFile_OverwritesIt()
    {
        var plan = CopyPlan.Prepare("/src/file", sourceIsDir: false, new CopyInfo("/dst/other", Exists: true, IsDir: false));
        Assert.Equal("/dst", plan.ExtractDir);
        Assert.Equal("other", plan.Rebase("file"));
    }

    [Fact]
    public void Prepare_FileToMissingPath_CreatesTheFile()
    {
        var plan = CopyPlan.Prepare("/src/file", sourceIsDir: false, new CopyInfo("/dst/new", Exists: false, IsDir: false));
        Assert.Equal("/dst", plan.ExtractDir);
        Assert.Equal("new", plan.Rebase("file"));
    }

    [Theory]
    [InlineData("/dst/new/")]
    [InlineData("/dst/new/.")]
    public void Prepare_FileToMissingDirectoryPath_IsDockersError(string destination)
    {
        var e = Assert.Throws<EngineException>(() => CopyPlan.Prepare("/src/file", sourceIsDir: false, new CopyInfo(destination, false, false)));
        Assert.Equal("no such directory", e.Message);
        Assert.Equal(1, e.ExitCode);
    }

    [Fact]
    public void Prepare_DirectoryOntoExistingFile_IsDockersError()
    {
        var e = Assert.Throws<EngineException>(() => CopyPlan.Prepare("/src/dir", sourceIsDir: true, new CopyInfo("/dst/file", true, false)));
        Assert.Equal("cannot copy directory", e.Message);
    }

    [Fact]
    public void Prepare_DirectoryIntoExistingDirectory_BecomesASubdirectory()
    {
        var plan = CopyPlan.Prepare("/src/dir", sourceIsDir: true, new CopyInfo("/dst", true, true));
        Assert.Equal("/dst", plan.ExtractDir);
        Assert.Equal("dir/a", plan.Rebase("dir/a"));
    }

    [Fact]
    public void Prepare_DirectoryToMissingPath_IsCreatedWithTheContent()
    {
        var plan = CopyPlan.Prepare("/src/dir", sourceIsDir: true, new CopyInfo("/dst/copy", false, false));
        Assert.Equal("/dst", plan.ExtractDir);
        Assert.Equal("copy/", plan.Rebase("dir/"));
        Assert.Equal("copy/sub/a", plan.Rebase("dir/sub/a"));
        Assert.Equal("dirt", plan.Rebase("dirt"));
    }

    [Fact]
    public void Prepare_DirectoryContentsToMissingPath_IsCreatedWithTheContent()
    {
        var plan = CopyPlan.Prepare("/src/dir/.", sourceIsDir: true, new CopyInfo("/dst/copy", false, false));
        Assert.Equal("/dst", plan.ExtractDir);
        Assert.Equal("copy/a", plan.Rebase("./a"));
    }

    [Fact]
    public void Prepare_DirectoryContentsIntoExistingDirectory_AreNotNested()
    {
        var plan = CopyPlan.Prepare("/src/dir/.", sourceIsDir: true, new CopyInfo("/dst", true, true));
        Assert.Equal("/dst", plan.ExtractDir);
        Assert.Equal("./a", plan.Rebase("./a"));
    }
}
