using System.Formats.Tar;
using Anchor.Build.Context;
using Anchor.Build.Dockerfile;
using Anchor.Build.Layers;

namespace Anchor.Build.Tests;

public sealed class CopyPlannerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "anchor-copy-" + Guid.NewGuid().ToString("N"));
    private readonly List<ContextTree> _trees = [];

    public CopyPlannerTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "src", "sub"));
        File.WriteAllText(Path.Combine(_dir, "a.txt"), "a");
        File.WriteAllText(Path.Combine(_dir, "b.txt"), "b");
        File.WriteAllText(Path.Combine(_dir, "secret.txt"), "s");
        File.WriteAllText(Path.Combine(_dir, "src", "main.c"), "int main;");
        File.WriteAllText(Path.Combine(_dir, "src", "sub", "x.h"), "x");
        File.WriteAllText(Path.Combine(_dir, ".dockerignore"), "secret.txt\n");
    }

    public void Dispose()
    {
        _trees.ForEach(t => t.Dispose());
        Directory.Delete(_dir, recursive: true);
    }

    private CopyPlanner.CopyPlan Plan(string line, string? workdir = null)
    {
        var tree = new ContextTree(_dir, DockerIgnore.Load(_dir));
        _trees.Add(tree);
        return CopyPlanner.Plan(
            DockerfileParser.ParseInstruction(line, 1),
            new ShellLex(_ => null),
            workdir,
            tree,
            new LayerTree([]),
            unpackArchives: false,
            fromImage: false);
    }

    [Fact]
    public void Plan_Exclude_LeavesOutMatchingSourcesAndFilesInsideDirectories()
    {
        var tree = new ContextTree(_dir, DockerIgnore.Load(_dir));
        _trees.Add(tree);
        var lex = new ShellLex(_ => null);
        var globbed = CopyPlanner.Plan(DockerfileParser.ParseInstruction("COPY *.txt /app/", 1), lex, null, tree, new LayerTree([]), false, false, exclude: new DockerIgnore(["b*"]));
        Assert.Equal(["app/a.txt"], globbed.Items.Select(i => i.Target));
        var directory = CopyPlanner.Plan(DockerfileParser.ParseInstruction("COPY src /app/", 1), lex, null, tree, new LayerTree([]), false, false, exclude: new DockerIgnore(["*.c"]));
        Assert.Equal(["app", "app/sub", "app/sub/x.h"], directory.Items.Select(i => i.Target));
        var none = CopyPlanner.Plan(DockerfileParser.ParseInstruction("COPY src /app/", 1), lex, null, tree, new LayerTree([]), false, false);
        Assert.Contains("app/main.c", none.Items.Select(i => i.Target));
    }

    [Fact]
    public void Plan_SingleFile_ToDirectory()
    {
        var plan = Plan("COPY a.txt /app/");
        Assert.Equal("app/a.txt", Assert.Single(plan.Items).Target);
    }

    [Fact]
    public void Plan_SingleFile_ToFileName_RelativeToWorkdir()
    {
        var plan = Plan("COPY a.txt renamed.txt", "/work");
        Assert.Equal("work/renamed.txt", Assert.Single(plan.Items).Target);
        Assert.Equal("/work/renamed.txt", plan.Destination);
    }

    [Fact]
    public void Plan_Directory_CopiesContents()
    {
        var plan = Plan("COPY src /code");
        Assert.Equal(["code", "code/main.c", "code/sub", "code/sub/x.h"], plan.Items.Select(i => i.Target));
    }

    [Fact]
    public void Plan_Glob_MatchesFiles()
    {
        var plan = Plan("COPY *.txt /d/");
        Assert.Equal(["d/a.txt", "d/b.txt"], plan.Items.Select(i => i.Target));
    }

    [Fact]
    public void Plan_IgnoredFile_IsNotFound()
    {
        var e = Assert.Throws<BuildException>(() => Plan("COPY secret.txt /"));
        Assert.Contains("file not found in build context or excluded by .dockerignore", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_OutsideContext_IsForbidden()
    {
        var e = Assert.Throws<BuildException>(() => Plan("COPY ../etc/passwd /"));
        Assert.Contains("forbidden path outside the build context: ../etc/passwd", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SymlinkOutOfContext_StaysInside()
    {
        File.CreateSymbolicLink(Path.Combine(_dir, "link"), "/etc/passwd");
        var e = Assert.Throws<BuildException>(() => Plan("COPY link /"));
        Assert.Contains("file not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_MultipleSources_NeedDirectoryDestination()
    {
        var e = Assert.Throws<BuildException>(() => Plan("COPY a.txt b.txt /dest"));
        Assert.Contains("must be a directory and end with a /", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ContentChange_ChangesDigest()
    {
        var before = Plan("COPY a.txt /").Digest;
        Assert.Equal(before, Plan("COPY a.txt /").Digest);
        File.WriteAllText(Path.Combine(_dir, "a.txt"), "changed");
        Assert.NotEqual(before, Plan("COPY a.txt /").Digest);
    }

    [Fact]
    public void Write_ProducesEntriesWithOwnerAndMode()
    {
        var plan = Plan("COPY src /code");
        var tar = Path.Combine(_dir, "layer.tar");
        using (var writer = new LayerTarWriter(tar))
        {
            CopyPlanner.Write(plan, writer, new LayerTree([]), (1000, 1001), 0x1A4 /* 0644 */);
        }

        using var reader = new TarReader(File.OpenRead(tar));
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add(entry);
        }

        Assert.Equal(["code/", "code/main.c", "code/sub/", "code/sub/x.h"], entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.Equal(1000, e.Uid));
        Assert.Equal((UnixFileMode)0x1A4, entries[1].Mode);
    }

    [Theory]
    [InlineData("sparse-gnu")]
    [InlineData("sparse-pax0.0")]
    [InlineData("sparse-pax0.1")]
    [InlineData("sparse-pax1.0")]
    public void Write_AddOfAnArchiveWithGnuSparseFiles_WritesTheRealFiles(string fixture)
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture + ".tar.gz"), Path.Combine(_dir, "sparse.tar.gz"));
        var plan = CopyPlanner.Plan(
            DockerfileParser.ParseInstruction("ADD sparse.tar.gz /x/", 1),
            new ShellLex(_ => null),
            null,
            new ContextTree(_dir, DockerIgnore.Load(_dir)),
            new LayerTree([]),
            unpackArchives: true,
            fromImage: false);
        var tar = Path.Combine(_dir, "layer.tar");
        using (var writer = new LayerTarWriter(tar))
        {
            CopyPlanner.Write(plan, writer, new LayerTree([]), null, null);
        }

        var files = new Dictionary<string, (long Length, string Sha256)>();
        using (var reader = new TarReader(File.OpenRead(tar)))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType == TarEntryType.RegularFile)
                {
                    files[entry.Name] = (entry.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(entry.DataStream!)));
                }
            }
        }

        // As docker's ADD: whole files (holes as zeros) at the real names.
        Assert.Equal((8L << 20, "49b0fbbe4aa1e0238006f3ddff9d1e4952d9a7a490e6d0d6291c26dab7fa29b6"), files["x/sparse/f"]);
        Assert.Equal((2L << 20, "97edb745c334f44c7d96164aece9009bad0482ff843fc55367b57c2291e435d0"), files["x/sparse/many"]);
        Assert.Equal(((1L << 20) + 3, "4dc884e97cc5a452b547422551eeea0381a7f09622b32c036b89ae6407c8e3a1"), files["x/sparse/tail"]);
        Assert.Equal(19, files["x/plain"].Length);
        Assert.DoesNotContain(files.Keys, k => k.Contains("GNUSparseFile", StringComparison.Ordinal));
    }

    [Fact]
    public void LayerTarWriter_NoEntries_WritesEmptyArchive()
    {
        var tar = Path.Combine(_dir, "empty.tar");
        using (new LayerTarWriter(tar))
        {
        }

        Assert.Equal(1024, new FileInfo(tar).Length);
        using var stream = File.OpenRead(tar);
        Assert.Equal("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef", Oci.Digest.Sha256(stream).ToString());
    }
}
