using Anchor.Oci.Runtime;
using Anchor.Runtime.Cgroups;

namespace Anchor.Runtime.Tests.Cgroups;

/// <summary>The files and values docker's cgroup flags become on both versions, and their conversions.</summary>
public sealed class CgroupResourceFlagsTests
{
    private const string Leaf = "anchor/c3";

    private static readonly SpecResources Flags = new()
    {
        Memory = new SpecMemory { Limit = 64 << 20, Swap = 128 << 20, Reservation = 32 << 20, DisableOomKiller = true },
        Cpu = new SpecCpu { Shares = 512, Cpus = "1", Mems = "0" },
        BlockIo = new SpecBlockIo { Weight = 300 },
    };

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(2UL, 1UL)]
    [InlineData(512UL, 59UL)]
    [InlineData(1024UL, 100UL)]
    [InlineData(2048UL, 174UL)]
    [InlineData(262_144UL, 10_000UL)]
    [InlineData(1_000_000UL, 10_000UL)]
    public void CpuWeight_IsRuncsQuadraticConversion(ulong shares, ulong weight) =>
        Assert.Equal(weight, CgroupLimits.CpuWeight(shares));

    [Theory]
    [InlineData((ushort)10, 1UL)]
    [InlineData((ushort)500, 4950UL)]
    [InlineData((ushort)1000, 10_000UL)]
    public void IoWeight_IsRuncsLinearConversion(ushort blkio, ulong io) =>
        Assert.Equal(io, CgroupLimits.IoWeight(blkio));

    [Theory]
    [InlineData("/ci/jobs", "ci/jobs")]
    [InlineData("ci//jobs/", "ci/jobs")]
    [InlineData("./ci/./jobs", "ci/jobs")]
    [InlineData("/", "")]
    [InlineData("../etc", null)]
    [InlineData("/ci/../../etc", null)]
    [InlineData("", null)]
    public void CgroupParent_Normalize_RefusesEscapes(string parent, string? expected) =>
        Assert.Equal(expected, CgroupParent.Normalize(parent));

    [Fact]
    public void Factory_WithParent_PlacesGroupBelowIt()
    {
        Assert.Equal("/ci/jobs/abc", CgroupFactory.SpecPath("abc", "/ci/jobs"));
        Assert.Equal("/abc", CgroupFactory.SpecPath("abc", "/"));
        Assert.Equal("/anchor/abc", CgroupFactory.SpecPath("abc"));
        Assert.Throws<ArgumentException>(() => CgroupFactory.SpecPath("abc", "a/../../b"));
    }

    [Fact]
    public void V1_Create_WritesEachFlagToItsFile_AndFillsCpusetFromParents()
    {
        using var fs = new FakeCgroupFs();
        fs.Group($"memory/{Leaf}", ("memory.limit_in_bytes", ""), ("memory.memsw.limit_in_bytes", ""), ("memory.soft_limit_in_bytes", ""), ("memory.oom_control", ""));
        fs.Group($"cpu/{Leaf}", ("cpu.shares", "1024"));
        fs.Group($"blkio/{Leaf}", ("blkio.weight", "100"));
        fs.Group("cpuset", ("cpuset.cpus", "0-1\n"), ("cpuset.mems", "0\n"));
        fs.Group("cpuset/anchor", ("cpuset.cpus", "\n"), ("cpuset.mems", "\n"));
        fs.Group($"cpuset/{Leaf}", ("cpuset.cpus", ""), ("cpuset.mems", ""));
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.Create(Flags);

        Assert.Equal(
            [
                ("cpuset/anchor/cpuset.cpus", "0-1"),
                ("cpuset/anchor/cpuset.mems", "0"),
                ($"cpuset/{Leaf}/cpuset.cpus", "0-1"),
                ($"cpuset/{Leaf}/cpuset.mems", "0"),
                ($"memory/{Leaf}/memory.limit_in_bytes", "67108864"),
                ($"memory/{Leaf}/memory.memsw.limit_in_bytes", "134217728"),
                ($"memory/{Leaf}/memory.soft_limit_in_bytes", "33554432"),
                ($"memory/{Leaf}/memory.oom_control", "1"),
                ($"cpu/{Leaf}/cpu.shares", "512"),
                ($"cpuset/{Leaf}/cpuset.cpus", "1"),
                ($"cpuset/{Leaf}/cpuset.mems", "0"),
                ($"blkio/{Leaf}/blkio.weight", "300"),
            ],
            fs.Writes);
    }

    [Fact]
    public void V1_Create_WithoutBfq_WritesNoBlkioWeight()
    {
        using var fs = new FakeCgroupFs();
        fs.Group($"blkio/{Leaf}", ("blkio.throttle.io_service_bytes", ""));
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.Create(new SpecResources { BlockIo = new SpecBlockIo { Weight = 300 } });

        Assert.Empty(fs.Writes);
    }

    [Fact]
    public void V1_Update_RaisingMemswAboveTheLimit_WritesMemswFirst()
    {
        using var fs = new FakeCgroupFs();
        fs.Group($"memory/{Leaf}", ("memory.limit_in_bytes", "67108864"), ("memory.memsw.limit_in_bytes", "134217728"));
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.Update(new SpecResources { Memory = new SpecMemory { Limit = 200 << 20, Swap = 400 << 20 } });

        Assert.Equal(
            [
                ($"memory/{Leaf}/memory.memsw.limit_in_bytes", "419430400"),
                ($"memory/{Leaf}/memory.limit_in_bytes", "209715200"),
            ],
            fs.Writes);
    }

    [Fact]
    public void V1_Update_LoweringBoth_WritesTheLimitFirst()
    {
        using var fs = new FakeCgroupFs();
        fs.Group($"memory/{Leaf}", ("memory.limit_in_bytes", "209715200"), ("memory.memsw.limit_in_bytes", "419430400"));
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.Update(new SpecResources { Memory = new SpecMemory { Limit = 64 << 20, Swap = 100 << 20 } });

        Assert.Equal(
            [
                ($"memory/{Leaf}/memory.limit_in_bytes", "67108864"),
                ($"memory/{Leaf}/memory.memsw.limit_in_bytes", "104857600"),
            ],
            fs.Writes);
    }

    [Fact]
    public void V2_Create_ConvertsSharesAndBlkioWeight_AndSubtractsMemoryFromSwap()
    {
        using var fs = new FakeCgroupFs();
        fs.Group("", ("cgroup.controllers", "cpuset cpu io memory pids\n"), ("cgroup.subtree_control", "cpuset cpu io memory pids"));
        fs.Group("anchor", ("cgroup.controllers", "cpuset cpu io memory pids\n"), ("cgroup.subtree_control", "cpuset cpu io memory pids"));
        fs.Group(Leaf, ("memory.max", "max"), ("memory.swap.max", "max"), ("memory.low", "0"), ("cpu.weight", "100"), ("cpuset.cpus", ""), ("cpuset.mems", ""), ("io.weight", "default 100"));
        var cg = new CgroupV2Manager(fs.Root, Leaf, fs.Record, (_, _) => { });

        cg.Create(Flags);

        Assert.Equal(
            [
                ($"{Leaf}/memory.max", "67108864"),
                ($"{Leaf}/memory.swap.max", "67108864"),
                ($"{Leaf}/memory.low", "33554432"),
                ($"{Leaf}/cpu.weight", "59"),
                ($"{Leaf}/cpuset.cpus", "1"),
                ($"{Leaf}/cpuset.mems", "0"),
                ($"{Leaf}/io.weight", "default 2930"),
            ],
            fs.Writes);
    }

    [Fact]
    public void V2_BfqWeight_TakesTheBlkioValueAsIs()
    {
        using var fs = new FakeCgroupFs();
        fs.Group("", ("cgroup.controllers", "io\n"), ("cgroup.subtree_control", "io"));
        fs.Group("anchor", ("cgroup.controllers", "io\n"), ("cgroup.subtree_control", "io"));
        fs.Group(Leaf, ("io.bfq.weight", "default 100"), ("io.weight", "default 100"));
        var cg = new CgroupV2Manager(fs.Root, Leaf, fs.Record, (_, _) => { });

        cg.Update(new SpecResources { BlockIo = new SpecBlockIo { Weight = 300 } });

        Assert.Equal([($"{Leaf}/io.bfq.weight", "300")], fs.Writes);
    }
}
