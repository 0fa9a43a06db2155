using Anchor.Oci.Runtime;
using Anchor.Runtime.Cgroups;

namespace Anchor.Runtime.Tests.Cgroups;

public sealed class CgroupV2ManagerTests
{
    private const string Leaf = "anchor/c2";

    /// <summary>The device programs the manager attached, instead of bpf(2) on a fake directory.</summary>
    private readonly List<(string Directory, byte[] Program)> _attached = [];

    private void Attach(string directory, byte[] program) => _attached.Add((directory, program));

    private static FakeCgroupFs StandardFs(string rootSubtree = "", bool swapAccounting = true)
    {
        var fs = new FakeCgroupFs();
        fs.Group("", ("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n"), ("cgroup.subtree_control", rootSubtree));
        fs.Group("anchor", ("cgroup.controllers", "cpu memory pids\n"), ("cgroup.subtree_control", ""));
        var files = new List<(string, string)> { ("memory.max", "max"), ("cpu.max", "max 100000"), ("pids.max", "max"), ("cgroup.procs", ""), ("memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n") };
        if (swapAccounting)
        {
            files.Add(("memory.swap.max", "max"));
        }

        fs.Group(Leaf, [.. files]);
        return fs;
    }

    [Fact]
    public void Create_EnablesControllersDownTheTree_ThenWritesLimits()
    {
        using var fs = StandardFs();
        var cg = new CgroupV2Manager(fs.Root, Leaf, fs.Record, Attach);

        cg.Create(new SpecResources
        {
            Memory = new SpecMemory { Limit = 100 * 1024 * 1024 },
            Cpu = new SpecCpu { Quota = 50_000, Period = 100_000 },
            Pids = new SpecPids { Limit = 8 },
        });

        Assert.Equal(
            [
                ("cgroup.subtree_control", "+cpu"),
                ("cgroup.subtree_control", "+cpuset"),
                ("cgroup.subtree_control", "+io"),
                ("cgroup.subtree_control", "+memory"),
                ("cgroup.subtree_control", "+pids"),
                ("anchor/cgroup.subtree_control", "+cpu"),
                ("anchor/cgroup.subtree_control", "+memory"),
                ("anchor/cgroup.subtree_control", "+pids"),
                ($"{Leaf}/memory.max", "104857600"),
                ($"{Leaf}/memory.swap.max", "104857600"),
                ($"{Leaf}/cpu.max", "50000 100000"),
                ($"{Leaf}/pids.max", "8"),
            ],
            fs.Writes);
        Assert.Equal("50000 100000", fs.Read($"{Leaf}/cpu.max"));
    }

    [Fact]
    public void Create_SkipsControllersAlreadyEnabledOrUnavailable()
    {
        using var fs = StandardFs(rootSubtree: "cpu cpuset io memory pids\n");
        File.WriteAllText(Path.Combine(fs.Root, "anchor", "cgroup.controllers"), "memory\n");
        var cg = new CgroupV2Manager(fs.Root, Leaf, fs.Record, Attach);

        cg.Create(null);

        Assert.Equal([("anchor/cgroup.subtree_control", "+memory")], fs.Writes);
    }

    [Theory]
    [InlineData(1000L, -1L, "max")]
    [InlineData(1000L, 1000L, "0")]
    [InlineData(1000L, 3000L, "2000")]
    public void Create_SwapMax_IsTotalMinusLimit(long limit, long swap, string expected)
    {
        using var fs = StandardFs(rootSubtree: "cpu cpuset io memory pids");
        File.WriteAllText(Path.Combine(fs.Root, "anchor", "cgroup.subtree_control"), "cpu memory pids");
        var cg = new CgroupV2Manager(fs.Root, Leaf, fs.Record, Attach);

        cg.Create(new SpecResources { Memory = new SpecMemory { Limit = limit, Swap = swap } });

        Assert.Equal([($"{Leaf}/memory.max", "1000"), ($"{Leaf}/memory.swap.max", expected)], fs.Writes);
    }

    [Fact]
    public void Create_WriteFails_RemovesLeafOnly()
    {
        using var fs = new FakeCgroupFs();
        fs.Group("", ("cgroup.controllers", ""), ("cgroup.subtree_control", ""));
        var cg = new CgroupV2Manager(fs.Root, Leaf, fs.Record, Attach);

        // The leaf is made by Create and is empty; memory.max is missing, so the first write fails.
        var e = Assert.Throws<CgroupException>(() => cg.Create(new SpecResources { Memory = new SpecMemory { Limit = 4096 } }));

        Assert.Contains("memory.max", e.Message, StringComparison.Ordinal);
        Assert.Contains("4096", e.Message, StringComparison.Ordinal);
        Assert.False(fs.Exists(Leaf));
        Assert.True(fs.Exists("anchor"));
    }

    [Fact]
    public void Create_SwapTotalBelowLimit_Throws()
    {
        using var fs = StandardFs(rootSubtree: "cpu cpuset io memory pids");
        var cg = new CgroupV2Manager(fs.Root, Leaf, fs.Record, Attach);

        var e = Assert.Throws<CgroupException>(() => cg.Create(new SpecResources { Memory = new SpecMemory { Limit = 1000, Swap = 500 } }));

        Assert.Contains("memory.swap.max", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnlimitedValues()
    {
        using var fs = StandardFs(rootSubtree: "cpu cpuset io memory pids", swapAccounting: false);
        File.WriteAllText(Path.Combine(fs.Root, "anchor", "cgroup.subtree_control"), "cpu memory pids");
        var cg = new CgroupV2Manager(fs.Root, Leaf, fs.Record, Attach);

        cg.Create(new SpecResources
        {
            Memory = new SpecMemory { Limit = 2048 },
            Cpu = new SpecCpu { Period = 20_000 },
            Pids = new SpecPids { Limit = -1 },
        });

        Assert.Equal(
            [($"{Leaf}/memory.max", "2048"), ($"{Leaf}/cpu.max", "max 20000"), ($"{Leaf}/pids.max", "max")],
            fs.Writes);
    }

    [Fact]
    public void CpuQuotaWithoutPeriod_UsesDefaultPeriod()
    {
        using var fs = StandardFs(rootSubtree: "cpu cpuset io memory pids");
        File.WriteAllText(Path.Combine(fs.Root, "anchor", "cgroup.subtree_control"), "cpu memory pids");
        var cg = new CgroupV2Manager(fs.Root, Leaf, fs.Record, Attach);

        cg.Create(new SpecResources { Cpu = new SpecCpu { Quota = 150_000 } });

        Assert.Equal([($"{Leaf}/cpu.max", "150000 100000")], fs.Writes);
    }

    [Fact]
    public void Create_AttachesTheDeviceProgramOfTheSpecsRules_ToTheLeaf()
    {
        using var fs = StandardFs(rootSubtree: "cpu cpuset io memory pids");
        var cg = new CgroupV2Manager(fs.Root, Leaf, fs.Record, Attach);
        SpecDeviceCgroup[] rules = [.. DeviceRuleSetTests.DockerDefaults, new() { Allow = true, Type = "c", Major = 10, Minor = 237, Access = "r" }];

        cg.Create(new SpecResources { Devices = rules });

        var (directory, program) = Assert.Single(_attached);
        Assert.Equal(cg.Path, directory);
        Assert.Equal(DeviceFilterProgram.Assemble(DeviceRuleSet.ForContainer(rules)), program);
        Assert.Equal(1UL, BpfInterpreter.Run(program, 2, 2, 10, 237)); // read /dev/loop-control: the added rule
        Assert.Equal(0UL, BpfInterpreter.Run(program, 1, 2, 7, 0)); // read /dev/loop0
    }

    [Fact]
    public void Create_WithoutDeviceRules_StillAttachesTheRuntimesDenyingProgram()
    {
        using var fs = StandardFs(rootSubtree: "cpu cpuset io memory pids");
        var cg = new CgroupV2Manager(fs.Root, Leaf, fs.Record, Attach);

        cg.Create(null);

        var (_, program) = Assert.Single(_attached);
        Assert.Equal(0UL, BpfInterpreter.Run(program, 1, 2, 7, 0));
        Assert.Equal(1UL, BpfInterpreter.Run(program, 2, 6, 1, 3));
    }

    [Fact]
    public void Create_Privileged_AttachesNoProgram()
    {
        using var fs = StandardFs(rootSubtree: "cpu cpuset io memory pids");
        var cg = new CgroupV2Manager(fs.Root, Leaf, fs.Record, Attach);

        cg.Create(new SpecResources { Devices = [new SpecDeviceCgroup { Allow = true, Access = "rwm" }] });

        Assert.Empty(_attached);
    }

    [Fact]
    public void Create_AttachFails_RemovesTheLeaf()
    {
        using var fs = new FakeCgroupFs();
        fs.Group("", ("cgroup.controllers", ""), ("cgroup.subtree_control", ""));
        var cg = new CgroupV2Manager(fs.Root, Leaf, fs.Record, (_, _) => throw new CgroupException("cgroup: cannot attach"));

        Assert.Throws<CgroupException>(() => cg.Create(null));

        Assert.False(fs.Exists(Leaf));
    }

    [Fact]
    public void AddProcess_WritesCgroupProcs_AddThreadIsRefused()
    {
        using var fs = StandardFs();
        var cg = new CgroupV2Manager(fs.Root, Leaf, fs.Record, Attach);

        cg.AddProcess(77);

        Assert.Equal([($"{Leaf}/cgroup.procs", "77")], fs.Writes);
        Assert.Throws<NotSupportedException>(() => cg.AddThread(78));
        Assert.Equal([77], cg.Pids());
    }

    [Theory]
    [InlineData("low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n", true)]
    [InlineData("low 0\nhigh 0\nmax 4\noom 0\noom_kill 0\n", false)]
    [InlineData("", false)]
    public void OomKilled_ReadsMemoryEvents(string events, bool expected)
    {
        using var fs = new FakeCgroupFs();
        fs.Group(Leaf, ("memory.events", events));

        Assert.Equal(expected, new CgroupV2Manager(fs.Root, Leaf).OomKilled());
    }

    [Fact]
    public void Destroy_MissingGroup_IsFine()
    {
        using var fs = new FakeCgroupFs();
        var cg = new CgroupV2Manager(fs.Root, Leaf);

        cg.Destroy();

        Assert.False(fs.Exists(Leaf));
        Assert.Empty(cg.Pids());
    }

    [Fact]
    public void Stats_ReadsMemoryCpuPidsAndIoStat()
    {
        using var fs = new FakeCgroupFs();
        fs.Group(
            Leaf,
            ("memory.current", "4784128\n"),
            ("memory.max", "max\n"),
            ("cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n"),
            ("pids.current", "2\n"),
            ("io.stat", "8:0 rbytes=4096 wbytes=4194304 rios=1 wios=32 dbytes=0 dios=0\n253:1 rbytes=0 wbytes=4194304 rios=0 wios=32 dbytes=0 dios=0\n"));
        var cg = new CgroupV2Manager(fs.Root, Leaf);

        Assert.Equal(new CgroupStats(4784128, null, 1_500_000, 2, 4096, 8388608), cg.Stats());
    }

    [Fact]
    public void Stats_WithoutIoController_HasNoBlockIo()
    {
        using var fs = new FakeCgroupFs();
        fs.Group(Leaf, ("memory.current", "10\n"), ("pids.current", "1\n"));

        var stats = new CgroupV2Manager(fs.Root, Leaf).Stats();

        Assert.Equal((0L, 0L), (stats.BlockRead, stats.BlockWritten));
    }
}
