namespace Anchor.IntegrationTests;

/// <summary>
/// Representative attacks of the confinement suite (Security*Tests) again with --userns=auto: the
/// user namespace adds a wall and must take none of docker's confinement away (capabilities,
/// seccomp, keyrings, devices, masked and read-only paths, no mount).
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class SecurityUsernsTests(AnchorFixture anchor)
{
    private const string DockerDefaultCaps = "00000000a80425fb";

    private static readonly string[] Userns = ["--network", "none", "--userns=auto"];

    private static readonly string[] RefusedByDockersProfile =
    [
        "unshare-user", "userns-mount", "keyctl", "add-key", "perf_event_open", "userfaultfd", "kcmp", "open_tree", "fsopen",
    ];

    [Fact]
    public void Root_HasDockersDefaultCapabilities_InItsNamespace()
    {
        var status = anchor.ShOk("grep -E '^Cap(Eff|Prm|Bnd)' /proc/self/status", Userns).Split('\n');
        Assert.Contains("CapEff:\t" + DockerDefaultCaps, status);
        Assert.Contains("CapBnd:\t" + DockerDefaultCaps, status);
    }

    [Fact]
    public void Seccomp_DockersDefaultProfile_StillRefusesTheAttacks()
    {
        var results = SyscallProbe.Run(anchor, Userns, ["seccomp-mode", .. RefusedByDockersProfile, "clone3", "getpid"]);
        Assert.Equal("2", results["seccomp-mode"]);
        foreach (var probe in RefusedByDockersProfile)
        {
            Assert.True(results[probe] == "EPERM", $"{probe}: {results[probe]}");
        }

        Assert.Equal("ENOSYS", results["clone3"]);
        Assert.Equal("ok", results["getpid"]);
    }

    [Fact]
    public void Keyring_IsTheContainersOwn()
    {
        var inside = SyscallProbe.Run(anchor, [.. Userns, "--security-opt", "seccomp=unconfined"], "session-keyring")["session-keyring"];
        Assert.EndsWith(";_ses", inside, StringComparison.Ordinal);
    }

    [Fact]
    public void HostLoopDevice_CannotBeRead()
    {
        // mknod is refused in a user namespace; were it not, the device allowlist would refuse the read.
        var result = anchor.Sh("mknod /tmp/l b 7 0 && head -c 1 /tmp/l", Userns);
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("Operation not permitted", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultDevices_Work()
    {
        Assert.Equal("ok", anchor.ShOk("echo x > /dev/null && head -c 1 /dev/zero | wc -c | grep -q 1 && head -c 1 /dev/urandom > /dev/null && echo ok", Userns));
    }

    [Theory]
    [InlineData("/proc/keys")]
    [InlineData("/proc/timer_list")]
    public void MaskedProcFile_ReadsEmpty(string path) =>
        Assert.Equal("0", anchor.ShOk($"wc -c < {path}", Userns).Trim());

    [Fact]
    public void ProcKcore_GivesNothing()
    {
        // Masked (an empty file) without a user namespace; in one, the kernel does not even show it.
        Assert.Equal("0", anchor.ShOk("cat /proc/kcore 2>/dev/null | wc -c", Userns).Trim());
    }

    [Fact]
    public void ProcSys_IsReadOnly()
    {
        var result = anchor.Sh("cat /proc/sys/kernel/domainname > /proc/sys/kernel/domainname", Userns);
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("Read-only file system", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Root_CannotMount()
    {
        var result = anchor.Sh("mkdir -p /mnt/t && mount -t tmpfs none /mnt/t", Userns);
        Assert.True(result.ExitCode != 0, result.ToString());
    }

    [Fact]
    public void EtcFiles_AreWritableByContainerRoot_ReadOnlyWithReadOnly()
    {
        Assert.Equal(0, anchor.Sh("echo '10.9.9.9 x' >> /etc/hosts", Userns).ExitCode);
        var result = anchor.Sh("echo x >> /etc/hosts", [.. Userns, "--read-only"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Read-only file system", result.Err, StringComparison.Ordinal);
    }
}
