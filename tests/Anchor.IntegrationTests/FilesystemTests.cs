namespace Anchor.IntegrationTests;

/// <summary>/dev, /dev/shm, /etc/hosts, /etc/resolv.conf: the files docker sets up in every container.</summary>
[Collection(AnchorCollection.Name)]
public sealed class FilesystemTests(AnchorFixture anchor)
{
    [Fact]
    public void Run_DevNullZeroUrandom_AreUsable()
    {
        var output = anchor.ShOk("echo x > /dev/null && head -c 4 /dev/zero | wc -c && head -c 16 /dev/urandom | wc -c && wc -c < /dev/null");
        Assert.Equal(["4", "16", "0"], output.Split('\n').Select(s => s.Trim()));
    }

    [Fact]
    public void Run_DevNull_IsTheCharacterDevice()
    {
        Assert.Equal("ok", anchor.ShOk("test -c /dev/null && test -c /dev/zero && test -c /dev/urandom && test -c /dev/tty && echo ok"));
    }

    [Fact]
    public void Run_HostDevices_AreNotThere()
    {
        // docker's /dev is a fresh tmpfs with the default devices only: no host disks.
        var host = Directory.EnumerateFileSystemEntries("/dev").Select(Path.GetFileName).Where(n => n is not null && (n.StartsWith("vd", StringComparison.Ordinal) || n.StartsWith("sd", StringComparison.Ordinal) || n.StartsWith("nvme", StringComparison.Ordinal))).ToList();
        var inside = anchor.ShOk("ls /dev").Split('\n');
        Assert.Empty(host.Intersect(inside));
        Assert.DoesNotContain("mem", inside);
    }

    [Fact]
    public void Run_DevPtsPtmx_Exists()
    {
        var result = anchor.RunRm("ls", "/dev/pts/ptmx");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("/dev/pts/ptmx", result.Out);
    }

    [Fact]
    public void Run_DevShm_IsTmpfs()
    {
        var mounts = MountEntry.Parse(anchor.ShOk("cat /proc/self/mountinfo"));
        var shm = MountEntry.Find(mounts, "/dev/shm");
        Assert.True(shm is not null, "no mount at /dev/shm");
        Assert.Equal("tmpfs", shm.FsType);
        Assert.Equal("ok", anchor.ShOk("echo x > /dev/shm/f && echo ok"));
    }

    [Fact]
    public void Run_Proc_IsProcfs()
    {
        var mounts = MountEntry.Parse(anchor.ShOk("cat /proc/self/mountinfo"));
        Assert.Equal("proc", MountEntry.Find(mounts, "/proc")?.FsType);
    }

    [Fact]
    public void Run_EtcHosts_HasLocalhost()
    {
        var hosts = anchor.ShOk("cat /etc/hosts");
        Assert.Contains("localhost", hosts);
        Assert.Contains("127.0.0.1", hosts);
    }

    [Fact]
    public void Run_EtcResolvConf_Exists()
    {
        var result = anchor.RunRm("test", "-f", "/etc/resolv.conf");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Run_Mounts_DoNotLeakIntoTheHost()
    {
        anchor.ShOk("true");
        anchor.AssertNoLeftovers();
    }
}
