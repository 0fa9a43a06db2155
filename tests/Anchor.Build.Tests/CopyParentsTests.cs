using Anchor.Build.Context;
using Anchor.Build.Dockerfile;

namespace Anchor.Build.Tests;

/// <summary>COPY --parents (BuildKit, Dockerfile 1.7): sources keep their paths, from the root or below a <c>/./</c> pivot.</summary>
public sealed class CopyParentsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("anchor-parents-").FullName;
    private readonly ContextTree _tree;

    public CopyParentsTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "x", "sub"));
        Directory.CreateDirectory(Path.Combine(_dir, "src", "pkg"));
        File.WriteAllText(Path.Combine(_dir, "x", "sub", "a.json"), "a");
        File.WriteAllText(Path.Combine(_dir, "x", "b.json"), "b");
        File.WriteAllText(Path.Combine(_dir, "src", "pkg", "c.txt"), "c");
        _tree = new ContextTree(_dir, DockerIgnore.Load(_dir));
    }

    public void Dispose()
    {
        _tree.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private IEnumerable<string> Targets(string line, bool parents) =>
        CopyPlanner.Plan(DockerfileParser.ParseInstruction(line, 1), new ShellLex(_ => null), null, _tree, new LayerTree([]), false, false, parents: parents)
            .Items.Select(i => i.Target);

    [Fact]
    public void Parents_FileAndGlob_KeepTheirDirectories() =>
        Assert.Equal(["app/x/sub/a.json", "app/x/b.json"], Targets("COPY x/sub/a.json x/*.json /app/", parents: true));

    [Fact]
    public void WithoutParents_TheSameSourcesLandFlat() =>
        Assert.Equal(["app/a.json", "app/b.json"], Targets("COPY x/sub/a.json x/*.json /app/", parents: false));

    [Fact]
    public void Pivot_DropsThePathBeforeIt() =>
        Assert.Equal(["app/pkg", "app/pkg/c.txt"], Targets("COPY ./src/./pkg /app/", parents: true));

    [Fact]
    public void Directory_IsRecreatedAtItsPath() =>
        Assert.Equal(["app/src", "app/src/pkg", "app/src/pkg/c.txt"], Targets("COPY src /app/", parents: true));
}
