using Anchor.Runtime.Cgroups;

namespace Anchor.Runtime.Tests.Cgroups;

public sealed class CgroupFactoryTests
{
    [Fact]
    public void Create_PicksTheVersion_UnderAnchorParent()
    {
        var v2 = CgroupFactory.Create("abc", CgroupVersion.V2, "/sys/fs/cgroup");
        Assert.IsType<CgroupV2Manager>(v2);
        Assert.Equal("/sys/fs/cgroup/anchor/abc", v2.Path);

        using var fs = new FakeCgroupFs();
        fs.Group("memory");
        var v1 = CgroupFactory.Create("abc", CgroupVersion.V1, fs.Root);
        Assert.IsType<CgroupV1Manager>(v1);
        Assert.Equal(CgroupVersion.V1, v1.Version);
        Assert.Equal(Path.Combine(fs.Root, "memory", "anchor", "abc"), ((CgroupV1Manager)v1).Directories["memory"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    public void Create_RejectsNamesThatEscape(string id) =>
        Assert.ThrowsAny<ArgumentException>(() => CgroupFactory.Create(id, CgroupVersion.V2, "/sys/fs/cgroup"));

    [Fact]
    public void Detect_PlainDirectory_IsV1()
    {
        using var fs = new FakeCgroupFs();
        Assert.Equal(CgroupVersion.V1, CgroupDetector.Detect(fs.Root));
        Assert.IsType<CgroupV1Manager>(CgroupFactory.Create("x", fs.Root));
    }

    [Fact]
    public void Detect_MatchesMountinfo()
    {
        // Whatever this host is, the statfs answer must agree with the filesystem type in mountinfo.
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            var mountPoint = fields[4];
            if (mountPoint is "/sys/fs/cgroup" or "/sys/fs/cgroup/unified")
            {
                var expected = fields[separator + 1] == "cgroup2" ? CgroupVersion.V2 : CgroupVersion.V1;
                Assert.Equal(expected, CgroupDetector.Detect(mountPoint));
            }
        }
    }

    [Fact]
    public void Detect_MissingRoot_Throws() =>
        Assert.Throws<CgroupException>(() => CgroupDetector.Detect("/nonexistent-cgroup-root"));
}
