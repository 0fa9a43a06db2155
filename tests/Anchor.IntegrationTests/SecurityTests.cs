namespace Anchor.IntegrationTests;

/// <summary>docker's default confinement: capabilities, masked and read-only /proc paths, read-only /sys, --read-only.</summary>
[Collection(AnchorCollection.Name)]
public sealed class SecurityTests(AnchorFixture anchor)
{
    /// <summary>docker's default capability set: CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP.</summary>
    private const string DockerDefaultCaps = "00000000a80425fb";

    [Fact]
    public void Run_Root_HasDockersDefaultCapabilities()
    {
        var status = anchor.ShOk("grep -E '^Cap(Eff|Prm|Bnd)' /proc/self/status").Split('\n');
        Assert.Contains("CapEff:\t" + DockerDefaultCaps, status);
        Assert.Contains("CapPrm:\t" + DockerDefaultCaps, status);
        Assert.Contains("CapBnd:\t" + DockerDefaultCaps, status);
    }

    [Fact]
    public void Run_NonRootUser_HasNoEffectiveCapabilities()
    {
        var status = anchor.ShOk("grep -E '^Cap(Eff|Prm)' /proc/self/status", "-u", "65534").Split('\n');
        Assert.Contains("CapEff:\t0000000000000000", status);
        Assert.Contains("CapPrm:\t0000000000000000", status);
    }

    [Theory]
    [InlineData("--cap-drop=ALL", "0000000000000000")]
    [InlineData("--cap-drop=chown", "00000000a80425fa")]
    [InlineData("--cap-add=SYS_ADMIN", "00000000a82425fb")]
    public void Run_CapAddDrop_ChangeTheSet(string flag, string expected)
    {
        var status = anchor.ShOk("grep -E '^Cap(Eff|Bnd)' /proc/self/status", flag).Split('\n');
        Assert.Contains("CapEff:\t" + expected, status);
        Assert.Contains("CapBnd:\t" + expected, status);
    }

    [Fact]
    public void Run_CapAddUnknown_Fails125()
    {
        var result = anchor.RunRm(["--cap-add", "BOGUS"], "true");
        Assert.Equal(125, result.ExitCode);
        Assert.Contains("unknown capability: \"CAP_BOGUS\"", result.Err);
    }

    [Fact]
    public void Run_Root_CannotMount()
    {
        // No CAP_SYS_ADMIN.
        var result = anchor.Sh("mkdir -p /mnt/t && mount -t tmpfs none /mnt/t");
        Assert.True(result.ExitCode != 0, result.ToString());
    }

    [Theory]
    [InlineData("/proc/kcore")]
    [InlineData("/proc/keys")]
    [InlineData("/proc/timer_list")]
    public void Run_MaskedProcFile_ReadsEmpty(string path)
    {
        // Kernels without the file (no CONFIG_PROC_KCORE, e.g. some VMs) have nothing to mask.
        // head -c bounds the read if the mask is missing (kcore is the size of the address space).
        var output = anchor.ShOk($"if test -e {path}; then head -c 100 {path} | wc -c; else echo 0; fi; cat /proc/self/mountinfo");
        var lines = output.Split('\n');
        Assert.Equal("0", lines[0].Trim());
        if (File.Exists(path))
        {
            var mounts = MountEntry.Parse(string.Join('\n', lines.Skip(1)));
            Assert.True(MountEntry.Find(mounts, path) is not null, $"{path} is not masked by a mount inside the container");
        }
    }

    [Fact]
    public void Run_ProcSysDomainname_IsReadOnly()
    {
        // Writes back the current value: harmless even if the mount were writable.
        var result = anchor.Sh("cat /proc/sys/kernel/domainname > /proc/sys/kernel/domainname");
        Assert.True(result.ExitCode != 0, $"writing /proc/sys succeeded: {result}");
        Assert.Contains("Read-only file system", result.Stderr);
    }

    [Theory]
    [InlineData("/proc/sys")]
    [InlineData("/proc/sysrq-trigger")]
    [InlineData("/proc/irq")]
    [InlineData("/proc/bus")]
    [InlineData("/proc/fs")]
    public void Run_ProcPath_IsMountedReadOnly(string path)
    {
        if (!Path.Exists(path))
        {
            return; // not on this kernel
        }

        var mounts = MountEntry.Parse(anchor.ShOk("cat /proc/self/mountinfo"));
        var mount = MountEntry.Find(mounts, path);
        Assert.True(mount is not null, $"{path} has no read-only mount of its own");
        Assert.True(mount.ReadOnly, $"{path} is mounted {mount.Options}");
    }

    [Fact]
    public void Run_SysrqTrigger_IsNotWritable()
    {
        if (!File.Exists("/proc/sysrq-trigger"))
        {
            return; // no CONFIG_MAGIC_SYSRQ on this kernel
        }

        // access(W_OK) reports EROFS without writing anything.
        Assert.Equal("ro", anchor.ShOk("test -w /proc/sysrq-trigger && echo writable || echo ro"));
    }

    [Fact]
    public void Run_Sys_IsReadOnly()
    {
        var result = anchor.Sh("touch /sys/x");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("Read-only file system", result.Stderr);
        var mounts = MountEntry.Parse(anchor.ShOk("cat /proc/self/mountinfo"));
        var sys = MountEntry.Find(mounts, "/sys");
        Assert.True(sys is not null && sys.ReadOnly && sys.FsType == "sysfs", $"/sys: {sys}");
    }

    [Fact]
    public void Run_ReadOnly_RootIsReadOnlyButDevShmIsNot()
    {
        var result = anchor.Sh("touch /x", "--read-only");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("Read-only file system", result.Stderr);
        Assert.Equal("ok", anchor.ShOk("touch /dev/shm/x && echo ok", "--read-only"));
    }

    [Fact]
    public void Run_WithoutReadOnly_RootIsWritable()
    {
        Assert.Equal("ok", anchor.ShOk("touch /x && echo ok"));
    }
}
