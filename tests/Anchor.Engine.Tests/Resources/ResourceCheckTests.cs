using Anchor.Engine.Containers;
using Anchor.Engine.Resources;
using Anchor.Engine.Run;
using Anchor.Runtime.Cgroups;

namespace Anchor.Engine.Tests.Resources;

/// <summary>docker's daemon checks of the cgroup flags, its warnings, and docker update's merge rules.</summary>
public sealed class ResourceCheckTests
{
    private const long Mi = 1024 * 1024;

    private static readonly CgroupSupport Full = new(SwapLimit: true, OomKillDisable: true, CpuShares: true, Cpuset: true, BlkioWeight: true, Cpus: "0-1", Mems: "0");

    private static readonly CgroupSupport Bare = new(SwapLimit: false, OomKillDisable: false, CpuShares: false, Cpuset: false, BlkioWeight: false, Cpus: "", Mems: "");

    private static RunOptions Options(long? memory = null, long? swap = null, long? reservation = null) =>
        new() { Image = "busybox", MemoryBytes = memory, MemorySwap = swap, MemoryReservation = reservation };

    private static string Error(Action act) => Assert.Throws<EngineException>(act).Message;

    [Fact]
    public void Memory_Alone_GetsTwiceAsMuchMemoryPlusSwap()
    {
        var (options, warnings) = ResourceCheck.Verify(Options(memory: 64 * Mi), Full);
        Assert.Equal(128 * Mi, options.MemorySwap);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Memory_WithoutSwapAccounting_IsLimitedWithoutSwap()
    {
        var (options, warnings) = ResourceCheck.Verify(Options(memory: 64 * Mi, swap: 128 * Mi), Bare);
        Assert.Equal(-1, options.MemorySwap);
        Assert.Equal(["Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap."], warnings);
    }

    [Fact]
    public void Swap_BelowMemory_IsDockersError()
    {
        // The daemon's check (verifyPlatformContainerResources): the CLI prints its prefix.
        Assert.Equal("Error response from daemon: Minimum memoryswap limit should be larger than memory limit, see usage",
            Assert.Throws<EngineException>(() => ResourceCheck.Verify(Options(memory: 64 * Mi, swap: 32 * Mi), Full)).Shown());
        Assert.Equal(-1, ResourceCheck.Verify(Options(memory: 64 * Mi, swap: -1), Full).Options.MemorySwap);
    }

    [Fact]
    public void Swap_WithoutMemory_IsRefusedAtCreate_ButNotInUpdate()
    {
        Assert.Equal("You should always set the Memory limit when using Memoryswap limit, see usage",
            Error(() => ResourceCheck.Verify(Options(swap: 64 * Mi), Full)));
        Assert.Equal(64 * Mi, ResourceCheck.Verify(Options(swap: 64 * Mi), Full, update: true).Options.MemorySwap);
    }

    [Fact]
    public void Reservation_Checks()
    {
        Assert.Equal("Minimum memory reservation allowed is 6MB", Error(() => ResourceCheck.Verify(Options(reservation: Mi), Full)));
        Assert.Equal("Minimum memory limit can not be less than memory reservation limit, see usage",
            Error(() => ResourceCheck.Verify(Options(memory: 10 * Mi, reservation: 20 * Mi), Full)));
    }

    [Fact]
    public void UnsupportedFlags_AreDroppedWithDockersWarnings()
    {
        var given = Options() with { OomKillDisable = true, CpuShares = 512, CpusetCpus = "0", BlkioWeight = 300 };
        var (options, warnings) = ResourceCheck.Verify(given, Bare);
        Assert.False(options.OomKillDisable);
        Assert.Null(options.CpuShares);
        Assert.Null(options.CpusetCpus);
        Assert.Null(options.BlkioWeight);
        Assert.Equal(
            [
                "Your kernel does not support OomKillDisable. OomKillDisable discarded.",
                "Your kernel does not support CPU shares or the cgroup is not mounted. Shares discarded.",
                "Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.",
                "Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.",
            ],
            warnings);
    }

    [Fact]
    public void OomKillDisable_WithoutMemoryLimit_Warns()
    {
        var (options, warnings) = ResourceCheck.Verify(Options() with { OomKillDisable = true }, Full);
        Assert.True(options.OomKillDisable);
        Assert.Equal(["OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources."], warnings);
    }

    [Theory]
    [InlineData("5", "Requested CPUs are not available - requested 5, available: 0-1")]
    [InlineData("1-a", "Invalid value 1-a for cpuset cpus: invalid format: 1-a")]
    [InlineData("1-0", "Invalid value 1-0 for cpuset cpus: invalid format: 1-0")]
    [InlineData("0-9223372036854775807", "Invalid value 0-9223372036854775807 for cpuset cpus: value of out range, maximum is 8192")]
    [InlineData("0-9223372036854775808", "Invalid value 0-9223372036854775808 for cpuset cpus: invalid format: 0-9223372036854775808")]
    [InlineData("0-9000", "Invalid value 0-9000 for cpuset cpus: value of out range, maximum is 8192")]
    public void CpusetCpus_Errors(string cpus, string message) =>
        Assert.Equal(message, Error(() => ResourceCheck.Verify(Options() with { CpusetCpus = cpus }, Full)));

    [Fact]
    public void CpusetLists_AcceptDockersFormats()
    {
        Assert.Equal("0,1", ResourceCheck.Verify(Options() with { CpusetCpus = "0,1" }, Full).Options.CpusetCpus);
        Assert.Equal([0, 1, 3, 4, 7], CpusetList.Parse("0-1,3-4,7,1").Members!);
        Assert.Equal("Requested memory nodes are not available - requested 1, available: 0",
            Error(() => ResourceCheck.Verify(Options() with { CpusetMems = "1" }, Full)));
    }

    [Theory]
    [InlineData((ushort)9)]
    [InlineData((ushort)1001)]
    public void BlkioWeight_OutOfRange(ushort weight) =>
        Assert.Equal("Range of blkio weight is from 10 to 1000", Error(() => ResourceCheck.Verify(Options() with { BlkioWeight = weight }, Full)));

    [Fact]
    public void CgroupParent_ThatClimbsOut_IsRefused()
    {
        Assert.Contains("--cgroup-parent", Error(() => ResourceCheck.Verify(Options() with { CgroupParent = "../../etc" }, Full)), StringComparison.Ordinal);
        Assert.Equal("/ci", ResourceCheck.Verify(Options() with { CgroupParent = "/ci" }, Full).Options.CgroupParent);
    }

    private static ContainerRecord Record(RunOptions options, bool autoRemove = false) => new()
    {
        Id = new string('a', 64),
        Name = "c",
        Image = "busybox",
        ImageId = "sha256:x",
        Created = DateTimeOffset.UnixEpoch,
        AutoRemove = autoRemove,
        Options = options,
    };

    [Fact]
    public void Update_MemoryAboveTheRecordedSwap_WithoutSwap_IsDockersConflict()
    {
        var current = Options(memory: 64 * Mi, swap: 128 * Mi);
        var error = Assert.Throws<EngineException>(() => ContainerUpdater.Merge(Record(current), current, Options(memory: 200 * Mi), null));
        Assert.Equal($"Cannot update container {new string('a', 64)}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time", error.Message);
        Assert.Equal(1, error.ExitCode);

        // No limit yet: docker compares with MemorySwap 0 and refuses too.
        var none = Options();
        Assert.Throws<EngineException>(() => ContainerUpdater.Merge(Record(none), none, Options(memory: 64 * Mi), null));
    }

    [Fact]
    public void Update_KeepsWhatIsNotGiven_AndClearsPidsWithMinusOne()
    {
        var current = Options(memory: 64 * Mi, swap: 128 * Mi) with { CpuShares = 512, PidsLimit = 10, CpusetCpus = "0" };
        var merged = ContainerUpdater.Merge(Record(current), current, Options(memory: 100 * Mi) with { PidsLimit = -1 }, RestartPolicy.Parse("on-failure:3"));
        Assert.Equal(100 * Mi, merged.MemoryBytes);
        Assert.Equal(128 * Mi, merged.MemorySwap);
        Assert.Equal(512, merged.CpuShares);
        Assert.Equal("0", merged.CpusetCpus);
        Assert.Null(merged.PidsLimit);
        Assert.Equal(new RestartPolicy("on-failure", 3), merged.Restart);
    }

    [Fact]
    public void Update_RestartPolicyOfAnAutoRemoveContainer_IsRefused()
    {
        var current = Options();
        var error = Assert.Throws<EngineException>(() => ContainerUpdater.Merge(Record(current, autoRemove: true), current, Options(), RestartPolicy.Parse("always")));
        Assert.EndsWith("Restart policy cannot be updated because AutoRemove is enabled for the container", error.Message, StringComparison.Ordinal);
        Assert.Equal(RestartPolicy.No, ContainerUpdater.Merge(Record(current, autoRemove: true), current, Options(), RestartPolicy.No).Restart);
    }

    [Fact]
    public void Spec_HoldsOnlyWhatWasGiven()
    {
        Assert.Null(ContainerResources.Memory(Options()));
        Assert.Null(ContainerResources.Cpu(Options()));
        var memory = ContainerResources.Memory(Options(memory: 64 * Mi) with { OomKillDisable = true })!;
        Assert.Equal(128 * Mi, memory.Swap);
        Assert.True(memory.DisableOomKiller);
        var cpu = ContainerResources.Cpu(Options() with { CpuShares = 512, CpusetCpus = "1" })!;
        Assert.Equal(512UL, cpu.Shares);
        Assert.Null(cpu.Quota);
        Assert.Null(cpu.Period);
        var update = ContainerResources.ForUpdate(Options());
        Assert.Equal(-1, update.Pids!.Limit);
        Assert.Equal(-1, update.Cpu!.Quota);
    }
}
