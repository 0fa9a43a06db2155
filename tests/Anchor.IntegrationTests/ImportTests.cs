namespace Anchor.IntegrationTests;

/// <summary>anchor import: rootfs tarballs from a file or stdin, and hostile or broken ones.</summary>
[Collection(AnchorCollection.Name)]
public sealed class ImportTests(AnchorFixture anchor)
{
    [Fact]
    public void Import_File_MakesARunnableImage()
    {
        var import = anchor.Anchor(["import", anchor.BusyboxTar, "other:1"], timeout: TimeSpan.FromSeconds(60));
        try
        {
            Assert.True(import.ExitCode == 0, import.ToString());
            Assert.Matches("^sha256:[0-9a-f]{64}$", import.Out);
            var run = anchor.Anchor(["run", "--rm", "other:1", "echo", "ok"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("ok", run.Out);
            Assert.Contains(ImagesTests.ImageRows(anchor), r => r.Repository == "other" && r.Tag == "1" && import.Out.StartsWith("sha256:" + r.Id, StringComparison.Ordinal));
        }
        finally
        {
            anchor.Anchor(["rmi", "other:1"]);
        }

        // other:1 shared its layer with busybox: removing it must not break busybox.
        Assert.Equal("still", anchor.ShOk("echo still"));
    }

    [Fact]
    public void Import_Stdin_MakesARunnableImage()
    {
        var import = anchor.Anchor(["import", "-", "other:2"], File.ReadAllBytes(anchor.BusyboxTar), TimeSpan.FromSeconds(60));
        try
        {
            Assert.True(import.ExitCode == 0, import.ToString());
            var run = anchor.Anchor(["run", "--rm", "other:2", "echo", "ok"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("ok", run.Out);
        }
        finally
        {
            anchor.Anchor(["rmi", "other:2"]);
        }
    }

    [Fact]
    public void Import_Change_SetsTheConfig()
    {
        var import = anchor.Anchor(["import", "--change", "ENV GREETING=hi", "--change", "WORKDIR /srv", "--change", "CMD [\"sh\", \"-c\", \"echo $GREETING; pwd\"]", anchor.BusyboxTar, "other:3"], timeout: TimeSpan.FromSeconds(60));
        try
        {
            Assert.True(import.ExitCode == 0, import.ToString());
            var run = anchor.Anchor(["run", "--rm", "other:3"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("hi\n/srv", run.Out);
        }
        finally
        {
            anchor.Anchor(["rmi", "other:3"]);
        }
    }

    [Fact]
    public void Import_TruncatedTar_FailsAndChangesNothing()
    {
        var before = ImagesTests.QuietIds(anchor);
        var bytes = File.ReadAllBytes(anchor.BusyboxTar);
        var half = Path.Combine(anchor.TempDir, "half.tar");
        File.WriteAllBytes(half, bytes[..(bytes.Length / 2)]);
        var import = anchor.Anchor(["import", half, "truncated:1"]);
        Assert.True(import.ExitCode != 0, import.ToString());
        Assert.Equal(before, ImagesTests.QuietIds(anchor));
        Assert.DoesNotContain(ImagesTests.ImageRows(anchor), r => r.Repository == "truncated");
        anchor.Anchor(["rmi", "truncated:1"]);
    }

    [Fact]
    public void Import_NotATar_Fails()
    {
        var before = ImagesTests.QuietIds(anchor);
        var file = Path.Combine(anchor.TempDir, "not-a-tar.txt");
        File.WriteAllText(file, string.Concat(Enumerable.Repeat("this is not a tar archive, just text\n", 100)));
        var import = anchor.Anchor(["import", file, "notatar:1"]);
        Assert.True(import.ExitCode != 0, import.ToString());
        Assert.Equal(before, ImagesTests.QuietIds(anchor));
        anchor.Anchor(["rmi", "notatar:1"]);
    }

    [Fact]
    public void Import_MissingFile_Fails()
    {
        var import = anchor.Anchor(["import", Path.Combine(anchor.TempDir, "no-such-file.tar"), "missing:1"]);
        Assert.True(import.ExitCode != 0, import.ToString());
        Assert.Contains("no-such-file.tar", import.Stderr);
    }

    [Fact]
    public void Import_DotDotEntries_WriteNothingOutside()
    {
        var name = "anchor-escape-" + Guid.NewGuid().ToString("N");
        var places = new[]
        {
            Path.Combine("/tmp", name),
            Path.Combine("/", name),
            Path.Combine(anchor.TempDir, name),
            Path.Combine(anchor.Root, name),
            Path.Combine(anchor.RunRoot, name),
        };
        byte[] tar;
        using (var builder = new TarBuilder())
        {
            tar = builder.CopyFrom(anchor.BusyboxTar)
                .File("../" + name, "escaped")
                .File(string.Concat(Enumerable.Repeat("../", 12)) + "tmp/" + name, "escaped")
                .File("etc/../../" + name, "escaped")
                .File("/" + name, "absolute")
                .ToArray();
        }

        try
        {
            var import = anchor.Anchor(["import", "-", "escape:1"], tar, TimeSpan.FromSeconds(60));
            if (import.ExitCode == 0)
            {
                // Some engines extract at first use: make it use the layer.
                anchor.Anchor(["run", "--rm", "escape:1", "true"]);
            }

            foreach (var place in places)
            {
                Assert.False(Path.Exists(place), $"the tar wrote {place} (import: {import})");
            }

            Assert.Empty(Directory.EnumerateFileSystemEntries(anchor.TempDir, name, SearchOption.TopDirectoryOnly));
        }
        finally
        {
            foreach (var place in places)
            {
                if (File.Exists(place))
                {
                    File.Delete(place);
                }
            }

            anchor.Anchor(["rmi", "escape:1"]);
        }
    }

    [Fact]
    public void Import_SymlinkToHostDirThenFileThroughIt_NeverWritesTheHostDir()
    {
        var hostDir = Path.Combine("/tmp", "anchor-host-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(hostDir);
        byte[] tar;
        using (var builder = new TarBuilder())
        {
            tar = builder.CopyFrom(anchor.BusyboxTar)
                .Symlink("evil", hostDir)
                .File("evil/pwned", "pwned")
                .Symlink("evil2", "../../../../../../../../.." + hostDir)
                .File("evil2/pwned2", "pwned")
                .ToArray();
        }

        try
        {
            var import = anchor.Anchor(["import", "-", "symlink:1"], tar, TimeSpan.FromSeconds(60));
            if (import.ExitCode == 0)
            {
                // Confined: the file, if kept, lives inside the image, and the host never sees it.
                anchor.Anchor(["run", "--rm", "symlink:1", "sh", "-c", "ls -la /evil /evil/ /evil2/; echo x > /evil/again"]);
            }

            Assert.True(Directory.GetFileSystemEntries(hostDir).Length == 0,
                $"the tar wrote into the host directory {hostDir}: {string.Join(", ", Directory.GetFileSystemEntries(hostDir))} (import: {import})");
        }
        finally
        {
            Directory.Delete(hostDir, recursive: true);
            anchor.Anchor(["rmi", "symlink:1"]);
        }
    }

    [Fact]
    public void Import_HardLinkToHostFileThenOverwrite_NeverChangesTheHostFile()
    {
        var hostFile = Path.Combine("/tmp", "anchor-hostfile-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(hostFile, "original");
        byte[] tar;
        using (var builder = new TarBuilder())
        {
            tar = builder.CopyFrom(anchor.BusyboxTar)
                .HardLink("hl1", string.Concat(Enumerable.Repeat("../", 12)) + hostFile.TrimStart('/'))
                .File("hl1", "pwned")
                .HardLink("hl2", hostFile)
                .File("hl2", "pwned")
                .ToArray();
        }

        try
        {
            var import = anchor.Anchor(["import", "-", "hardlink:1"], tar, TimeSpan.FromSeconds(60));
            if (import.ExitCode == 0)
            {
                anchor.Anchor(["run", "--rm", "hardlink:1", "sh", "-c", "echo again > /hl1; echo again > /hl2"]);
            }

            Assert.Equal("original", File.ReadAllText(hostFile));
            var links = ProcessRunner.Run("stat", ["-c", "%h", hostFile]);
            Assert.True(links.Out == "1", $"{hostFile} gained hard links ({links.Out}); import: {import}");
        }
        finally
        {
            File.Delete(hostFile);
            anchor.Anchor(["rmi", "hardlink:1"]);
        }
    }
}
