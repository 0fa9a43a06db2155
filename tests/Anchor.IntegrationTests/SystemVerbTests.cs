namespace Anchor.IntegrationTests;

/// <summary>info, version --format, system df and system prune over a store of their own.</summary>
[Collection(AnchorCollection.Name)]
public sealed class SystemVerbTests(AnchorFixture anchor)
{
    [Fact]
    public void Info_CountsContainersByState_AndFormatsDockersFields()
    {
        using var store = new PrivateStore(anchor, "info");
        store.ImportBusybox();
        store.Ok("create", "--network", "none", "busybox", "true");
        var running = store.Ok("run", "-d", "--network", "none", "busybox", "sleep", "30").Out;

        Assert.Equal("2 1 0 1 1", store.Ok("info", "--format", "{{.Containers}} {{.ContainersRunning}} {{.ContainersPaused}} {{.ContainersStopped}} {{.Images}}").Out);
        Assert.Equal("overlay2 cgroupfs linux", store.Ok("info", "--format", "{{.Driver}} {{.CgroupDriver}} {{.OSType}}").Out);
        Assert.Matches("^[12]$", store.Ok("info", "--format", "{{.CgroupVersion}}").Out);
        Assert.Equal(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), store.Ok("system", "info", "--format", "{{.NCPU}}").Out);
        Assert.Equal(Path.Combine(store.Dir, "root"), store.Ok("info", "--format", "{{.DockerRootDir}}").Out);
        Assert.Equal("[\"name=seccomp,profile=default\"]", store.Ok("info", "--format", "{{json .SecurityOptions}}").Out);

        var text = store.Ok("info").Out;
        Assert.Contains("\n Containers: 2\n  Running: 1\n  Paused: 0\n  Stopped: 1\n Images: 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\n Storage Driver: overlay2\n", text, StringComparison.Ordinal);
        Assert.Contains($"\n Kernel Version: {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}\n", text, StringComparison.Ordinal);
        Assert.Contains(" Security Options:\n  seccomp\n   Profile: default\n", text, StringComparison.Ordinal);
        store.Ok("rm", "-f", running);
    }

    [Fact]
    public void Version_Format_RendersDockersDocument()
    {
        var version = anchor.Anchor(["version", "--format", "{{.Server.Version}}|{{.Client.Version}}|{{.Server.Os}}/{{.Server.Arch}}"]);
        Assert.Equal(0, version.ExitCode);
        var parts = version.Out.Split('|');
        Assert.False(string.IsNullOrEmpty(parts[0]));
        Assert.Equal(parts[0], parts[1]);
        Assert.Equal("linux/amd64", parts[2]);
        Assert.NotEqual(0, anchor.Anchor(["version", "--format", "{{.Nope"]).ExitCode);
    }

    [Fact]
    public void SystemDf_DockersTable_CountsAndReclaimable()
    {
        using var store = new PrivateStore(anchor, "df");
        store.ImportBusybox();
        store.Ok("create", "--network", "none", "-v", "dfvol:/data", "busybox", "true");
        store.Ok("volume", "create", "unused");

        var lines = store.Ok("system", "df").Out.Split('\n');
        Assert.Equal("TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE", lines[0]);
        Assert.Matches(@"^Images          1         1         [\d.]+[kM]B +0B \(0%\)$", lines[1]);
        Assert.Matches(@"^Containers      1         0         [\d.]+k?B +[\d.]+k?B", lines[2]);
        Assert.Matches(@"^Local Volumes   2         1         ", lines[3]);
        Assert.Equal("Build Cache     0         0         0B        0B", lines[4]);

        var verbose = store.Ok("system", "df", "-v").Out;
        Assert.Contains("Images space usage:", verbose, StringComparison.Ordinal);
        Assert.Matches(@"\nbusybox +latest +[0-9a-f]{12} ", verbose);
        Assert.Matches(@"\nunused +0 +0B\n", verbose);
        Assert.Matches(@"\ndfvol +1 +", verbose);
    }

    [Fact]
    public void SystemPrune_AsksFirst_ThenRemovesStoppedContainersUnusedNetworksAndImages()
    {
        using var store = new PrivateStore(anchor, "prune");
        store.ImportBusybox();
        var stopped = store.Ok("create", "--network", "none", "busybox", "true").Out;
        store.Ok("network", "create", "prunenet");
        store.Ok("volume", "create", "prunevol");

        var declined = store.Run(["system", "prune"], stdin: "n\n");
        Assert.Equal(0, declined.ExitCode);
        Assert.Equal(
            "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all dangling images\n  - all dangling build cache\n\nAre you sure you want to continue? [y/N] ",
            declined.Stdout);
        Assert.Contains(stopped, store.Ok("ps", "-aq", "--no-trunc").Out, StringComparison.Ordinal);

        var withVolumes = store.Run(["system", "prune", "-a", "--volumes"], stdin: "n\n");
        Assert.Contains("  - all volumes not used by at least one container\n  - all images without at least one container associated to them\n  - all build cache\n", withVolumes.Stdout, StringComparison.Ordinal);

        var pruned = store.Ok("system", "prune", "-f", "-a", "--volumes").Out;
        Assert.Contains($"Deleted Containers:\n{stopped}\n\n", pruned, StringComparison.Ordinal);
        Assert.Contains("Deleted Networks:\nprunenet\n\n", pruned, StringComparison.Ordinal);
        Assert.Contains("Deleted Volumes:\nprunevol\n\n", pruned, StringComparison.Ordinal);
        Assert.Contains("Deleted Images:\nuntagged: busybox:latest\ndeleted: sha256:", pruned, StringComparison.Ordinal);
        Assert.Matches(@"\nTotal reclaimed space: [\d.]+[kM]B$", pruned);
        Assert.Equal("", store.Ok("ps", "-aq").Out);
        Assert.Equal("", store.Ok("images", "-q").Out);

        // The prune's removals are events too.
        var actions = store.Ok("events", "--since", "1h", "--until", PrivateStore.Now(), "--format", "{{.Type}} {{.Action}}").Out;
        Assert.Contains("container destroy", actions, StringComparison.Ordinal);
        Assert.Contains("network destroy", actions, StringComparison.Ordinal);
        Assert.Contains("volume destroy", actions, StringComparison.Ordinal);
        Assert.Contains("image delete", actions, StringComparison.Ordinal);
    }
}
