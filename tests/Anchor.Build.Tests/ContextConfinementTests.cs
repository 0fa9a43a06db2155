using System.Formats.Tar;
using System.Text;
using Anchor.Build.Context;
using Anchor.Build.Dockerfile;
using Anchor.Build.Layers;
using Anchor.Linux;

namespace Anchor.Build.Tests;

/// <summary>
/// COPY/ADD sources resolve inside the build context only: symlinks are followed as if the context
/// were "/" (docker's FollowSymlinkInScope), so a link to a host directory, to ../outside or a chain
/// of them never reaches a host file, while links that stay inside work; links inside a copied
/// directory are copied as links.
/// </summary>
public sealed class ContextConfinementTests : IDisposable
{
    private const string Secret = "host secret 5f1c";
    private readonly string _base = Path.Combine(Path.GetTempPath(), "anchor-confine-" + Guid.NewGuid().ToString("N"));
    private readonly List<ContextTree> _trees = [];

    public ContextConfinementTests()
    {
        Directory.CreateDirectory(Path.Combine(Context, "src", "sub"));
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "secret"), Secret);
        File.WriteAllText(Path.Combine(Context, "src", "main.c"), "int main;");
        File.WriteAllText(Path.Combine(Context, "src", "sub", "x.h"), "x");
    }

    private string Context => Path.Combine(_base, "ctx");

    /// <summary>A host directory next to the context, reachable as ../outside from it.</summary>
    private string Outside => Path.Combine(_base, "outside");

    public void Dispose()
    {
        _trees.ForEach(t => t.Dispose());
        Directory.Delete(_base, recursive: true);
    }

    private void Link(string name, string target)
    {
        var path = Path.Combine(Context, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, target);
    }

    private CopyPlanner.CopyPlan Plan(string line, bool add = false)
    {
        var tree = new ContextTree(Context, DockerIgnore.Load(Context));
        _trees.Add(tree);
        return CopyPlanner.Plan(DockerfileParser.ParseInstruction(line, 1), new ShellLex(_ => null), null, tree, new LayerTree([]), unpackArchives: add, fromImage: false);
    }

    /// <summary>Writes the plan as a layer and returns every entry name with its content (file data or link target).</summary>
    private Dictionary<string, string> Layer(CopyPlanner.CopyPlan plan)
    {
        var tar = Path.Combine(_base, "layer-" + Guid.NewGuid().ToString("N") + ".tar");
        using (var writer = new LayerTarWriter(tar))
        {
            CopyPlanner.Write(plan, writer, new LayerTree([]), null, null);
        }

        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = new TarReader(File.OpenRead(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            using var data = new StreamReader(entry.DataStream ?? Stream.Null, Encoding.UTF8);
            entries[entry.Name] = entry.EntryType == TarEntryType.SymbolicLink ? "-> " + entry.LinkName : data.ReadToEnd();
        }

        Assert.DoesNotContain(Secret, File.ReadAllText(tar), StringComparison.Ordinal);
        return entries;
    }

    private static void AssertNotFound(Action action, string path)
    {
        var e = Assert.Throws<BuildException>(action);
        Assert.Equal($"COPY failed: file not found in build context or excluded by .dockerignore: stat {path}: file does not exist", e.Message);
    }

    [Fact]
    public void Plan_ParentSymlinkToAbsoluteHostDirectory_IsNotFound()
    {
        Link("linkdir", Outside);
        AssertNotFound(() => Plan("COPY linkdir/secret /x"), "linkdir/secret");
    }

    [Fact]
    public void Plan_ParentSymlinkToDotDotOutside_IsNotFound()
    {
        Link("up", "../outside");
        AssertNotFound(() => Plan("COPY up/secret /x"), "up/secret");
    }

    [Fact]
    public void Plan_ChainOfSymlinks_ClampsEveryHopToTheContext()
    {
        Link("a", "b");
        Link("b", "src/../c");
        Link("c", "../../../.." + Outside);
        AssertNotFound(() => Plan("COPY a/secret /x"), "a/secret");

        Link("f1", "f2");
        Link("f2", Path.Combine(Outside, "secret"));
        AssertNotFound(() => Plan("COPY f1 /x"), "f1");
    }

    [Fact]
    public void Plan_ClampedTargetThatExistsInTheContext_CopiesTheContextFile()
    {
        // "/outside/secret" seen from the context root is ctx/outside/secret, not the host's file.
        Directory.CreateDirectory(Path.Combine(Context, "outside"));
        File.WriteAllText(Path.Combine(Context, "outside", "secret"), "context copy");
        Link("linkdir", "/outside");
        Link("up", "../../outside");
        Assert.Equal("context copy", Layer(Plan("COPY linkdir/secret /x"))["x"]);
        Assert.Equal("context copy", Layer(Plan("COPY up/secret /x"))["x"]);
    }

    [Fact]
    public void Plan_SymlinkedParentInsideTheContext_Works()
    {
        Link("alias", "src");
        Link("absolute", "/src/sub");
        Assert.Equal("int main;", Layer(Plan("COPY alias/main.c /x"))["x"]);
        Assert.Equal("x", Layer(Plan("COPY absolute/x.h /x"))["x"]);

        var dir = Layer(Plan("COPY alias /code"));
        Assert.Equal("int main;", dir["code/main.c"]);
        Assert.Equal("x", dir["code/sub/x.h"]);
    }

    [Fact]
    public void Plan_WildcardThroughSymlink_NeverLeavesTheContext()
    {
        Link("linkdir", Outside);
        Link("linkfile", Path.Combine(Outside, "secret"));
        var e = Assert.Throws<BuildException>(() => Plan("COPY linkdir/* /x/"));
        Assert.Equal("COPY failed: no source files were specified", e.Message);
        AssertNotFound(() => Plan("COPY linkf* /x/"), "linkfile");
        AssertNotFound(() => Plan("COPY link* /x/"), "linkdir");
    }

    [Fact]
    public void Plan_WildcardMatchingInsideLink_FollowsIt()
    {
        Link("alias", "src/main.c");
        Assert.Equal("int main;", Layer(Plan("COPY ali* /x/"))["x/alias"]);
    }

    [Fact]
    public void Plan_SymlinksInsideCopiedDirectory_AreCopiedAsLinks()
    {
        Link("src/host", Outside);
        Link("src/hostfile", Path.Combine(Outside, "secret"));
        var entries = Layer(Plan("COPY src /code"));
        Assert.Equal("-> " + Outside, entries["code/host"]);
        Assert.Equal("-> " + Path.Combine(Outside, "secret"), entries["code/hostfile"]);
        Assert.DoesNotContain(entries.Keys, k => k.StartsWith("code/host/", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_DockerIgnore_AppliesToTheFileALinkLeadsTo()
    {
        File.WriteAllText(Path.Combine(Context, ".dockerignore"), "src/sub\nhidden\n");
        Link("alias", "src");
        Link("hidden", "src/main.c");
        Link("tosub", "src/sub/x.h");
        AssertNotFound(() => Plan("COPY alias/sub/x.h /x"), "alias/sub/x.h");
        AssertNotFound(() => Plan("COPY tosub /x"), "tosub");
        AssertNotFound(() => Plan("COPY hidden /x"), "hidden");
        Assert.DoesNotContain("code/sub/x.h", Layer(Plan("COPY alias /code")).Keys);
    }

    [Fact]
    public void Write_FileSwappedForSymlinkAfterPlanning_IsRefusedNotFollowed()
    {
        File.WriteAllText(Path.Combine(Context, "swap"), "harmless");
        var plan = Plan("COPY swap /x");
        File.Delete(Path.Combine(Context, "swap"));
        Link("swap", Path.Combine(Outside, "secret"));
        var e = Assert.Throws<LinuxException>(() => Layer(plan));
        Assert.Equal(40, e.Errno); // ELOOP: O_NOFOLLOW met a symlink
    }

    [Fact]
    public void Plan_AddArchiveThroughOutsideLink_IsNotFound()
    {
        Link("archive.tar", Path.Combine(Outside, "secret"));
        var e = Assert.Throws<BuildException>(() => Plan("ADD archive.tar /x", add: true));
        Assert.Contains("file not found in build context", e.Message, StringComparison.Ordinal);
    }
}
