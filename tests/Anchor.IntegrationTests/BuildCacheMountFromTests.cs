namespace Anchor.IntegrationTests;

/// <summary>RUN --mount=type=cache with from=/source=, `builder prune`, and ONBUILD triggers with here-documents (issue 14).</summary>
[Collection(AnchorCollection.Name)]
public sealed class BuildCacheMountFromTests(AnchorFixture anchor)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(180);

    [Fact]
    public void CacheMountFrom_StartsAsTheStagesDirectory_ThenPersists_AndBuilderPruneEmptiesIt()
    {
        using var store = new PrivateStore(anchor, "cache-from-mount");
        store.ImportBusybox();
        const string dockerfile =
            "FROM busybox AS seed\n" +
            "RUN mkdir -p /data && echo seeded > /data/s.txt\n" +
            "FROM busybox\n" +
            "RUN --mount=type=cache,target=/c,from=seed,source=/data echo \"saw: $(cat /c/s.txt)\" && echo added > /c/new\n" +
            "RUN --mount=type=cache,target=/c,from=seed,source=/data echo \"list: $(ls /c | tr '\\n' ' ')\"\n" +
            "RUN --mount=type=cache,target=/plain echo \"plain: $(ls /plain | wc -l)\" && touch /plain/p\n";
        var build = store.Run(["build", "-"], dockerfile, timeout: BuildTimeout);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("saw: seeded\n", build.Stdout, StringComparison.Ordinal);
        Assert.Contains("list: new s.txt \n", build.Stdout, StringComparison.Ordinal);
        Assert.Contains("plain: 0\n", build.Stdout, StringComparison.Ordinal);

        var again = store.Run(["build", "--no-cache", "-"], dockerfile, timeout: BuildTimeout);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("plain: 1\n", again.Stdout, StringComparison.Ordinal);

        var prune = store.Run(["builder", "prune", "-f"]);
        Assert.True(prune.ExitCode == 0, prune.ToString());
        Assert.StartsWith("Deleted build cache objects:\n", prune.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\nTotal reclaimed space: \d", prune.Stdout);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(Path.Combine(store.Dir, "root", "build-cache-mounts")), e => !e.EndsWith(".lock", StringComparison.Ordinal));

        // The step cache went too: every RUN runs again, and the cache mounts start over.
        var after = store.Run(["build", "-"], dockerfile, timeout: BuildTimeout);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.DoesNotContain("Using cache", after.Stdout, StringComparison.Ordinal);
        Assert.Contains("plain: 0\n", after.Stdout, StringComparison.Ordinal);
        Assert.Contains("list: new s.txt \n", after.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void OnBuildRunHeredoc_RunsInTheChildBuild_WithItsBody()
    {
        using var store = new PrivateStore(anchor, "onbuild-heredoc");
        store.ImportBusybox();
        var parent = store.Run(["build", "-t", "onb:1", "-"], "FROM busybox\nONBUILD RUN <<EOF\necho \"trigger ran\" > /trigger.txt\nEOF\nRUN echo after-onbuild\n", timeout: BuildTimeout);
        Assert.True(parent.ExitCode == 0, parent.ToString());
        Assert.Contains("after-onbuild", parent.Stdout, StringComparison.Ordinal);
        Assert.Equal("RUN <<EOF\necho \"trigger ran\" > /trigger.txt\nEOF\n", store.Ok("inspect", "-f", "{{index .Config.OnBuild 0}}", "onb:1").Stdout);

        var child = store.Run(["build", "-t", "onb:2", "-"], "FROM onb:1\n", timeout: BuildTimeout);
        Assert.True(child.ExitCode == 0, child.ToString());
        Assert.Equal("trigger ran\n", store.Ok("run", "--rm", "--network", "none", "onb:2", "cat", "/trigger.txt").Stdout);
    }
}
