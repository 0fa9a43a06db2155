using Anchor.Oci.Runtime;
using Anchor.Runtime.Cgroups;

namespace Anchor.Runtime.Tests.Cgroups;

public sealed class CgroupV1ManagerTests
{
    private const string Leaf = "anchor/c1";

    private static readonly SpecResources Limits = new()
    {
        Memory = new SpecMemory { Limit = 100 * 1024 * 1024 },
        Cpu = new SpecCpu { Quota = 50_000, Period = 100_000 },
        Pids = new SpecPids { Limit = 8 },
    };

    private static FakeCgroupFs StandardFs(bool swapAccounting = true)
    {
        var fs = new FakeCgroupFs();
        var memoryFiles = new List<(string, string)> { ("memory.limit_in_bytes", "9223372036854771712"), ("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n"), ("memory.failcnt", "0"), ("cgroup.procs", ""), ("tasks", "") };
        if (swapAccounting)
        {
            memoryFiles.Add(("memory.memsw.limit_in_bytes", "9223372036854771712"));
        }

        fs.Group($"memory/{Leaf}", [.. memoryFiles]);
        fs.Group($"cpu/{Leaf}", ("cpu.cfs_period_us", "100000"), ("cpu.cfs_quota_us", "-1"), ("cgroup.procs", ""), ("tasks", ""));
        fs.Group($"pids/{Leaf}", ("pids.max", "max"), ("cgroup.procs", ""), ("tasks", ""));
        return fs;
    }

    [Fact]
    public void Create_WritesLimitsInKernelOrder()
    {
        using var fs = StandardFs();
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.Create(Limits);

        Assert.Equal(
            [
                ($"memory/{Leaf}/memory.limit_in_bytes", "104857600"),
                ($"memory/{Leaf}/memory.memsw.limit_in_bytes", "209715200"),
                ($"cpu/{Leaf}/cpu.cfs_period_us", "100000"),
                ($"cpu/{Leaf}/cpu.cfs_quota_us", "50000"),
                ($"pids/{Leaf}/pids.max", "8"),
            ],
            fs.Writes);
        Assert.Equal("8", fs.Read($"pids/{Leaf}/pids.max"));
        Assert.Equal("209715200", fs.Read($"memory/{Leaf}/memory.memsw.limit_in_bytes"));
    }

    [Fact]
    public void Create_ExplicitSwapAndUnlimitedValues()
    {
        using var fs = StandardFs();
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.Create(new SpecResources
        {
            Memory = new SpecMemory { Limit = 1000, Swap = -1 },
            Cpu = new SpecCpu { Quota = -1 },
            Pids = new SpecPids { Limit = 0 },
        });

        Assert.Equal(
            [
                ($"memory/{Leaf}/memory.limit_in_bytes", "1000"),
                ($"memory/{Leaf}/memory.memsw.limit_in_bytes", "-1"),
                ($"cpu/{Leaf}/cpu.cfs_quota_us", "-1"),
                ($"pids/{Leaf}/pids.max", "max"),
            ],
            fs.Writes);
    }

    [Fact]
    public void Create_WithoutSwapAccounting_SkipsMemsw()
    {
        using var fs = StandardFs(swapAccounting: false);
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.Create(new SpecResources { Memory = new SpecMemory { Limit = 4096 } });

        Assert.Equal([($"memory/{Leaf}/memory.limit_in_bytes", "4096")], fs.Writes);
        Assert.False(File.Exists(Path.Combine(fs.Root, "memory", Leaf, "memory.memsw.limit_in_bytes")));
    }

    [Fact]
    public void Create_DockerDefaults_DenyAllThenOneAllowPerWrite()
    {
        using var fs = new FakeCgroupFs();
        fs.Group($"devices/{Leaf}", ("devices.allow", ""), ("devices.deny", ""), ("cgroup.procs", ""));
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.Create(new SpecResources { Devices = DeviceRuleSetTests.DockerDefaults });

        Assert.Equal(
            [
                ($"devices/{Leaf}/devices.deny", "a"),
                ($"devices/{Leaf}/devices.allow", "b *:* m"),
                ($"devices/{Leaf}/devices.allow", "c *:* m"),
                ($"devices/{Leaf}/devices.allow", "c 1:3 rwm"),
                ($"devices/{Leaf}/devices.allow", "c 1:5 rwm"),
                ($"devices/{Leaf}/devices.allow", "c 1:7 rwm"),
                ($"devices/{Leaf}/devices.allow", "c 1:8 rwm"),
                ($"devices/{Leaf}/devices.allow", "c 1:9 rwm"),
                ($"devices/{Leaf}/devices.allow", "c 5:0 rwm"),
                ($"devices/{Leaf}/devices.allow", "c 5:1 rwm"),
                ($"devices/{Leaf}/devices.allow", "c 5:2 rwm"),
                ($"devices/{Leaf}/devices.allow", "c 10:200 rwm"),
                ($"devices/{Leaf}/devices.allow", "c 136:* rwm"),
            ],
            fs.Writes);
        // One descriptor, one write(2) per rule: the plain file holds them all, back to back.
        Assert.Equal("b *:* mc *:* mc 1:3 rwm", fs.Read($"devices/{Leaf}/devices.allow")[..23]);
    }

    [Fact]
    public void Create_DeviceCgroupRuleAndDevice_AreAllowedToo()
    {
        using var fs = new FakeCgroupFs();
        fs.Group($"devices/{Leaf}", ("devices.allow", ""), ("devices.deny", ""));
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.Create(new SpecResources { Devices = [.. DeviceRuleSetTests.DockerDefaults, new() { Allow = true, Type = "c", Major = 10, Minor = 237, Access = "r" }, new() { Allow = true, Type = "b", Major = 7, Minor = 0, Access = "rw" }] });

        Assert.Contains(($"devices/{Leaf}/devices.allow", "c 10:237 r"), fs.Writes);
        Assert.Contains(($"devices/{Leaf}/devices.allow", "b 7:0 rw"), fs.Writes);
        Assert.Equal(15, fs.Writes.Count);
    }

    [Fact]
    public void Create_Privileged_AllowsAllInOneWrite()
    {
        using var fs = new FakeCgroupFs();
        fs.Group($"devices/{Leaf}", ("devices.allow", ""), ("devices.deny", ""));
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.Create(new SpecResources { Devices = [new SpecDeviceCgroup { Allow = true, Access = "rwm" }] });

        Assert.Equal([($"devices/{Leaf}/devices.allow", "a")], fs.Writes);
    }

    [Fact]
    public void Create_NoDeviceRules_DeniesWithTheRuntimesDefaults()
    {
        using var fs = new FakeCgroupFs();
        fs.Group($"devices/{Leaf}", ("devices.allow", ""), ("devices.deny", ""));
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.Create(null);

        Assert.Equal(($"devices/{Leaf}/devices.deny", "a"), fs.Writes[0]);
        Assert.DoesNotContain(($"devices/{Leaf}/devices.allow", "c 5:1 rwm"), fs.Writes);
        Assert.Equal(12, fs.Writes.Count);
    }

    [Fact]
    public void AddProcess_JoinsTheDevicesHierarchyToo()
    {
        using var fs = StandardFs();
        fs.Group($"devices/{Leaf}", ("devices.allow", ""), ("devices.deny", ""), ("cgroup.procs", ""));
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.AddProcess(42);

        Assert.Contains(($"devices/{Leaf}/cgroup.procs", "42"), fs.Writes);
    }

    [Fact]
    public void AddProcess_HierarchyWithoutTheGroup_IsSkipped_OthersStillJoined()
    {
        // A container started before the devices hierarchy was used has no group there.
        using var fs = StandardFs();
        fs.Group("devices/anchor");
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.AddProcess(42);

        Assert.Contains(($"pids/{Leaf}/cgroup.procs", "42"), fs.Writes);
        Assert.False(fs.Exists($"devices/{Leaf}"));
    }

    [Fact]
    public void Create_NoResources_OnlyMakesDirectories()
    {
        using var fs = new FakeCgroupFs();
        fs.Group("memory");
        fs.Group("pids");
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.Create(null);

        Assert.Empty(fs.Writes);
        Assert.True(fs.Exists($"memory/{Leaf}"));
        Assert.True(fs.Exists($"pids/{Leaf}"));
        Assert.False(fs.Exists($"cpu/{Leaf}"));
    }

    [Fact]
    public void Create_WriteFails_NamesFileAndValue_AndRemovesCreatedDirectories()
    {
        using var fs = new FakeCgroupFs();
        fs.Group("memory");
        fs.Group("cpu");
        fs.Group("pids");
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        // The fresh leaf directories are empty: memory.limit_in_bytes is missing, as with no memory controller.
        var e = Assert.Throws<CgroupException>(() => cg.Create(Limits));

        Assert.Contains("memory.limit_in_bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("104857600", e.Message, StringComparison.Ordinal);
        Assert.False(fs.Exists($"memory/{Leaf}"));
        Assert.False(fs.Exists($"cpu/{Leaf}"));
        Assert.False(fs.Exists($"pids/{Leaf}"));
    }

    [Fact]
    public void Create_MissingController_ForRequestedLimit_Throws()
    {
        using var fs = new FakeCgroupFs();
        fs.Group($"memory/{Leaf}", ("memory.limit_in_bytes", ""));
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        var e = Assert.Throws<CgroupException>(() => cg.Create(new SpecResources { Pids = new SpecPids { Limit = 5 } }));

        Assert.Contains("pids controller", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SymlinkedCpuAndCpuacct_ShareOneDirectory()
    {
        using var fs = new FakeCgroupFs();
        fs.Group($"cpu,cpuacct/{Leaf}", ("cgroup.procs", ""), ("tasks", ""));
        File.CreateSymbolicLink(Path.Combine(fs.Root, "cpu"), "cpu,cpuacct");
        File.CreateSymbolicLink(Path.Combine(fs.Root, "cpuacct"), "cpu,cpuacct");
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.Create(null);
        cg.AddProcess(1234);

        Assert.Equal(cg.Directories["cpu"], cg.Directories["cpuacct"]);
        Assert.Equal([($"cpu,cpuacct/{Leaf}/cgroup.procs", "1234")], fs.Writes);
    }

    [Fact]
    public void AddProcessAndThread_WriteEveryHierarchy()
    {
        using var fs = StandardFs();
        var cg = new CgroupV1Manager(fs.Root, Leaf, fs.Record);

        cg.AddProcess(42);
        cg.AddThread(43);

        Assert.Equal(
            [
                ($"memory/{Leaf}/cgroup.procs", "42"),
                ($"cpu/{Leaf}/cgroup.procs", "42"),
                ($"pids/{Leaf}/cgroup.procs", "42"),
                ($"memory/{Leaf}/tasks", "43"),
                ($"cpu/{Leaf}/tasks", "43"),
                ($"pids/{Leaf}/tasks", "43"),
            ],
            fs.Writes);
        Assert.Equal("42", fs.Read($"pids/{Leaf}/cgroup.procs"));
    }

    [Fact]
    public void Pids_UnionOfHierarchies()
    {
        using var fs = StandardFs();
        File.WriteAllText(Path.Combine(fs.Root, "memory", Leaf, "cgroup.procs"), "10\n11\n");
        File.WriteAllText(Path.Combine(fs.Root, "pids", Leaf, "cgroup.procs"), "11\n12\n");
        var cg = new CgroupV1Manager(fs.Root, Leaf);

        Assert.Equal([10, 11, 12], cg.Pids().Order());
    }

    [Theory]
    [InlineData("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n", "0", true)]
    [InlineData("oom_kill_disable 0\nunder_oom 0\noom_kill 0\n", "5", false)]
    [InlineData("oom_kill_disable 0\nunder_oom 0\n", "3", true)]
    [InlineData("oom_kill_disable 0\nunder_oom 0\n", "0", false)]
    public void OomKilled_ReadsOomControl_FallsBackToFailcnt(string oomControl, string failcnt, bool expected)
    {
        using var fs = new FakeCgroupFs();
        fs.Group($"memory/{Leaf}", ("memory.oom_control", oomControl), ("memory.failcnt", failcnt));
        var cg = new CgroupV1Manager(fs.Root, Leaf);

        Assert.Equal(expected, cg.OomKilled());
    }

    [Fact]
    public void Stats_BlockIo_SkipsPoliciesWithoutDevices_AndReadsThrottleRecursive()
    {
        using var fs = new FakeCgroupFs();
        fs.Group($"memory/{Leaf}", ("memory.usage_in_bytes", "4784128\n"), ("memory.limit_in_bytes", "9223372036854771712\n"));
        fs.Group($"cpuacct/{Leaf}", ("cpuacct.usage", "123456789\n"));
        fs.Group($"pids/{Leaf}", ("pids.current", "3\n"));
        fs.Group(
            $"blkio/{Leaf}",
            ("blkio.bfq.io_service_bytes_recursive", "Total 0\n"),
            ("blkio.throttle.io_service_bytes_recursive", "254:0 Read 4096\n254:0 Write 4206592\n254:0 Total 4210688\nTotal 4210688\n"),
            ("blkio.throttle.io_service_bytes", "254:0 Read 1\n254:0 Write 1\nTotal 2\n"));
        var cg = new CgroupV1Manager(fs.Root, Leaf);

        Assert.Equal(new CgroupStats(4784128, null, 123456789, 3, 4096, 4206592), cg.Stats());
    }

    [Fact]
    public void Stats_BlockIo_FallsBackToNonRecursiveFile_AndToZero()
    {
        using var fs = new FakeCgroupFs();
        fs.Group($"blkio/{Leaf}", ("blkio.throttle.io_service_bytes", "8:0 Read 10\n8:0 Write 20\nTotal 30\n"));
        Assert.Equal((10L, 20L), (new CgroupV1Manager(fs.Root, Leaf).Stats().BlockRead, new CgroupV1Manager(fs.Root, Leaf).Stats().BlockWritten));

        using var bare = new FakeCgroupFs();
        bare.Group($"memory/{Leaf}", ("memory.usage_in_bytes", "1\n"));
        Assert.Equal(new CgroupStats(1, null, 0, 0), new CgroupV1Manager(bare.Root, Leaf).Stats());
    }

    [Fact]
    public void Destroy_RemovesEmptyGroups_AndIsIdempotent()
    {
        using var fs = new FakeCgroupFs();
        fs.Group($"memory/{Leaf}");
        fs.Group($"pids/{Leaf}/nested");
        var cg = new CgroupV1Manager(fs.Root, Leaf);

        cg.Destroy();
        cg.Destroy();

        Assert.False(fs.Exists($"memory/{Leaf}"));
        Assert.False(fs.Exists($"pids/{Leaf}"));
        Assert.True(fs.Exists("pids/anchor"));
    }
}
