namespace Anchor.IntegrationTests;

/// <summary>system prune --filter until=/label=/label!=: passed to the container, network, volume and image prunes as docker's CLI does.</summary>
[Collection(AnchorCollection.Name)]
public sealed class SystemPruneFilterTests(AnchorFixture anchor)
{
    private static string Id(ProcessResult result) => result.Out.Trim();

    [Fact]
    public void SystemPrune_LabelFilters_PruneOnlyMatchingContainersNetworksVolumesAndImages()
    {
        using var store = new PrivateStore(anchor, "sysprune-label");
        store.ImportBusybox();
        var drop = Id(store.Ok("create", "--label", "prune=yes", "--network", "none", AnchorFixture.Image, "true"));
        var keep = Id(store.Ok("create", "--label", "prune=no", "--network", "none", AnchorFixture.Image, "true"));
        store.Ok("network", "create", "--label", "prune=yes", "net-drop");
        store.Ok("network", "create", "net-keep");
        store.Ok("volume", "create", "--label", "prune=yes", "vol-drop");
        store.Ok("volume", "create", "vol-keep");

        var pruned = store.Ok("system", "prune", "-f", "--volumes", "--filter", "label=prune=yes").Out;
        Assert.Contains("Deleted Containers:\n" + drop + "\n", pruned, StringComparison.Ordinal);
        Assert.DoesNotContain(keep, pruned, StringComparison.Ordinal);
        Assert.Contains("Deleted Networks:\nnet-drop\n", pruned, StringComparison.Ordinal);
        Assert.Contains("Deleted Volumes:\nvol-drop\n", pruned, StringComparison.Ordinal);
        Assert.Equal(keep, store.Ok("ps", "-a", "-q", "--no-trunc").Out);
        Assert.Contains("net-keep", store.Ok("network", "ls").Out, StringComparison.Ordinal);
        Assert.Equal("vol-keep", store.Ok("volume", "ls", "-q").Out);

        // label!=: what lacks the label goes (net-keep has none; the bridge networks are never pruned).
        var negated = store.Ok("system", "prune", "-f", "--filter", "label!=prune=no").Out;
        Assert.Contains("Deleted Networks:\nnet-keep\n", negated, StringComparison.Ordinal);
        Assert.DoesNotContain("Deleted Containers:", negated, StringComparison.Ordinal);
        Assert.Equal(keep, store.Ok("ps", "-a", "-q", "--no-trunc").Out);

        // -a: unused images with the label go, the others stay.
        store.Ok("commit", "-c", "LABEL prune=yes", keep, "img-drop");
        var images = store.Ok("system", "prune", "-a", "-f", "--filter", "label=prune=yes").Out;
        Assert.Contains("untagged: img-drop:latest", images, StringComparison.Ordinal);
        Assert.Equal("busybox:latest", store.Ok("images", "--format", "{{.Repository}}:{{.Tag}}").Out);
    }

    [Fact]
    public void SystemPrune_Until_KeepsWhatIsNewer_AndIsRefusedWithVolumes()
    {
        using var store = new PrivateStore(anchor, "sysprune-until");
        store.ImportBusybox();
        var container = Id(store.Ok("create", "--network", "none", AnchorFixture.Image, "true"));
        store.Ok("network", "create", "net-new");

        // Created now, so not before an hour ago: nothing goes.
        var kept = store.Ok("system", "prune", "-f", "--filter", "until=1h").Out;
        Assert.Equal("Total reclaimed space: 0B", kept);
        Assert.Equal(container, store.Ok("ps", "-a", "-q", "--no-trunc").Out);

        // Until now (a Unix time with nanoseconds, after the creation): both go.
        var pruned = store.Ok("system", "prune", "-f", "--filter", "until=" + PrivateStore.Now()).Out;
        Assert.Contains("Deleted Containers:\n" + container, pruned, StringComparison.Ordinal);
        Assert.Contains("Deleted Networks:\nnet-new", pruned, StringComparison.Ordinal);

        var volumes = store.Run(["system", "prune", "-f", "--volumes", "--filter", "until=1h"]);
        Assert.Equal(1, volumes.ExitCode);
        Assert.Equal("ERROR: The \"until\" filter is not supported with \"--volumes\"", volumes.Err);

        var bad = store.Run(["system", "prune", "-f", "--filter", "dangling=true"]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("Invalid filter 'dangling'", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void SystemPrune_Prompt_ListsTheFilters()
    {
        using var store = new PrivateStore(anchor, "sysprune-prompt");
        var prompt = store.Run(["system", "prune", "--filter", "until=24h", "--filter", "label=a=b"], stdin: "n\n");
        Assert.Equal(0, prompt.ExitCode);
        Assert.Equal(
            "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all dangling images\n  - all dangling build cache\n\n"
            + "  Items to be pruned will be filtered with:\n  - label=a=b\n  - until=24h\n\nAre you sure you want to continue? [y/N] ",
            prompt.Stdout);
    }
}
