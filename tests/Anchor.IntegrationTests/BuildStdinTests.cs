using System.IO.Compression;

namespace Anchor.IntegrationTests;

/// <summary>
/// `build -` and `build -f -` (issue 14, found 3): a context archive (plain or gzip) or a Dockerfile
/// alone on stdin, a Dockerfile on stdin with a context directory; an archive cannot write outside
/// its staging directory whatever its names and links say, and nothing staged is left behind.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class BuildStdinTests(AnchorFixture anchor)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(120);

    private ProcessResult Build(byte[] stdin, params string[] args) => anchor.Anchor(["build", .. args], stdin, BuildTimeout);

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private string[] StagedLeft() =>
        Directory.Exists(Path.Combine(anchor.Root, "tmp"))
            ? [.. Directory.GetFileSystemEntries(Path.Combine(anchor.Root, "tmp")).Where(e => e.Contains("-context-", StringComparison.Ordinal))]
            : [];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ContextArchiveOnStdin_IsTheContext(bool gzip)
    {
        using var tar = new TarBuilder()
            .File("Dockerfile", "FROM busybox\nCOPY sub/f /f\nCMD [\"cat\", \"/f\"]\n")
            .Directory("sub")
            .File("sub/f", "from the archive");
        var tag = $"stdin-tar:{(gzip ? "gz" : "plain")}";
        var build = Build(gzip ? Gzip(tar.ToArray()) : tar.ToArray(), "-q", "-t", tag, "-");
        try
        {
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Equal("from the archive", anchor.Anchor(["run", "--rm", tag]).Stdout.Trim());
            Assert.Empty(StagedLeft());
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", tag]);
        }
    }

    [Fact]
    public void DockerfileAloneOnStdin_BuildsWithAnEmptyContext()
    {
        var build = Build("FROM busybox\nRUN echo made > /m\n"u8.ToArray(), "-t", "stdin-df:1", "-");
        try
        {
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Contains("Successfully tagged stdin-df:1", build.Stdout, StringComparison.Ordinal);
            Assert.Equal("made", anchor.Anchor(["run", "--rm", "stdin-df:1", "cat", "/m"]).Stdout.Trim());

            // Nothing to COPY from: docker's classic builder fails the same way on an empty context.
            var copy = Build("FROM busybox\nCOPY x /x\n"u8.ToArray(), "-t", "stdin-df:2", "-");
            Assert.NotEqual(0, copy.ExitCode);
            Assert.Empty(StagedLeft());
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", "stdin-df:1"]);
        }
    }

    [Fact]
    public void DockerfileOnStdin_WithAContextDirectory()
    {
        var dir = Path.Combine(anchor.TempDir, "stdin-ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "f"), "from the directory");
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), "FROM busybox\nRUN false\n"); // not the one used
        var build = Build("FROM busybox\nCOPY f /f\n"u8.ToArray(), "-q", "-t", "stdin-f:1", "-f", "-", dir);
        try
        {
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Equal("from the directory", anchor.Anchor(["run", "--rm", "stdin-f:1", "cat", "/f"]).Stdout.Trim());
            Assert.Empty(StagedLeft());
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", "stdin-f:1"]);
        }
    }

    [Fact]
    public void StdinForBoth_IsRefused()
    {
        var build = Build([], "-f", "-", "-");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Equal("invalid argument: can't use stdin for both build context and dockerfile", build.Stderr.Trim());
    }

    [Fact]
    public void HostileArchive_WritesNothingOutsideItsDirectory()
    {
        var marker = Path.Combine(anchor.TempDir, "escaped-" + Guid.NewGuid().ToString("N")[..8]);
        using var tar = new TarBuilder()
            .File("Dockerfile", "FROM busybox\n")
            .Symlink("out", anchor.TempDir)
            .File("out/" + Path.GetFileName(marker), "pwned")
            .File("../../../.." + marker, "pwned");
        var build = Build(tar.ToArray(), "-q", "-t", "stdin-hostile:1", "-");
        anchor.Anchor(["rmi", "-f", "stdin-hostile:1"]);
        Assert.False(File.Exists(marker), $"the archive wrote {marker}: {build}");
        Assert.Empty(StagedLeft());
    }
}
