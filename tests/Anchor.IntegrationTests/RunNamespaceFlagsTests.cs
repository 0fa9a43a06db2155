using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>
/// --ulimit, --sysctl, --shm-size, --ipc, --pid, --uts, --domainname, --group-add, --oom-score-adj
/// and --mac-address, -u's supplementary groups, and the signal state every container process
/// starts with: what a process inside sees in /proc and command output, and docker's errors.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class RunNamespaceFlagsTests(AnchorFixture anchor)
{
    private static readonly string[] NoNet = ["--network", "none"];

    private string Ok(string script, params string[] options) => anchor.ShOk(script, [.. NoNet, .. options]);

    private void Refused(string[] options, string message, params string[] command)
    {
        var run = anchor.RunRm([.. NoNet, .. options], command.Length > 0 ? command : ["true"]);
        Assert.True(run.ExitCode == 125, $"expected exit 125: {run}");
        Assert.Contains(message, run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void User_UidGid_HasThatGroupOnly_AsDocker()
    {
        Assert.Equal("uid=1000 gid=1000 groups=1000", Ok("id", "-u", "1000:1000"));
        Assert.Equal("uid=1(daemon) gid=1(daemon) groups=1(daemon)", Ok("id", "-u", "daemon"));
        Assert.Equal("uid=0(root) gid=0(root) groups=0(root)", Ok("id"));
    }

    [Fact]
    public void GroupAdd_AddsNamesAndNumbers_UnknownNameIs125()
    {
        Assert.Equal("uid=1000 gid=1000 groups=33(www-data),100(users),1000,4242", Ok("id", "-u", "1000:1000", "--group-add", "users", "--group-add", "33", "--group-add", "4242"));
        Refused(["--group-add", "nosuchgroup"], "Error response from daemon: Unable to find group nosuchgroup: no matching entries in group file.");
    }

    [Fact]
    public void ExecUser_GetsDockersGroups_AndTheContainersGroupAdd()
    {
        var name = Detached.UniqueName("groups");
        try
        {
            anchor.RunDetached(name, [.. NoNet, "--group-add", "100"], "sleep", "30");
            Assert.Equal("uid=1000 gid=1000 groups=100(users),1000", anchor.Ok("exec", "-u", "1000:1000", name, "id").Out);
            Assert.Equal("uid=0(root) gid=0(root) groups=0(root),100(users)", anchor.Ok("exec", name, "id").Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Ulimit_SetsSoftAndHard_InRunAndExec()
    {
        Assert.Equal("512\n1024\n7", Ok("ulimit -n; ulimit -Hn; ulimit -u", "--ulimit", "nofile=512:1024", "--ulimit", "nproc=7"));
        var name = Detached.UniqueName("ulimit");
        try
        {
            anchor.RunDetached(name, [.. NoNet, "--ulimit", "nofile=300"], "sleep", "30");
            Assert.Equal("300\n300", anchor.Ok("exec", name, "sh", "-c", "ulimit -n; ulimit -Hn").Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Ulimit_Invalid_IsDockersFlagError()
    {
        Refused(["--ulimit", "nofile=5:2"], "invalid argument \"nofile=5:2\" for \"--ulimit\" flag: ulimit soft limit must be less than or equal to hard limit: 5 > 2");
        Refused(["--ulimit", "bogus=1"], "invalid ulimit type: bogus");
    }

    [Fact]
    public void Ulimit_HardAboveTheCallers_FailsAsRuncReportsIt()
    {
        // Raising a hard limit needs CAP_SYS_RESOURCE (setrlimit(2)); runc's words when it is missing.
        var hard = ulong.Parse(File.ReadAllLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[4], System.Globalization.CultureInfo.InvariantCulture);
        var run = anchor.RunRm([.. NoNet, "--ulimit", $"nofile=1024:{hard + 1}"], "true");
        if (HasCapability(24))
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            return;
        }

        Assert.True(run.ExitCode == 125, run.ToString());
        Assert.Contains("error setting rlimit type 7: operation not permitted", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void OomScoreAdj_IsTheProcesssOwn_OutOfRangeIs125()
    {
        Assert.Equal("500", Ok("cat /proc/self/oom_score_adj", "--oom-score-adj", "500"));
        Assert.Equal("0", Ok("cat /proc/self/oom_score_adj"));
        Refused(["--oom-score-adj", "1001"], "Invalid value 1001, range for oom score adj is [-1000, 1000]");
    }

    [Fact]
    public void Sysctl_NamespacedKeys_AreSetInsideOnly()
    {
        var hostShmmax = File.ReadAllText("/proc/sys/kernel/shmmax").Trim();
        var hostPorts = File.ReadAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start").Trim();
        Assert.Equal("123456\n80\n20", Ok(
            "cat /proc/sys/kernel/shmmax /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/fs/mqueue/msg_max",
            "--sysctl", "kernel.shmmax=123456", "--sysctl", "net.ipv4.ip_unprivileged_port_start=80", "--sysctl", "fs.mqueue.msg_max=20"));
        Assert.Equal(hostShmmax, File.ReadAllText("/proc/sys/kernel/shmmax").Trim());
        Assert.Equal(hostPorts, File.ReadAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start").Trim());
    }

    [Fact]
    public void Sysctl_NotNamespaced_OrSharedWithTheHost_IsRefused()
    {
        Refused(["--sysctl", "kernel.hostname=x"], "invalid argument \"kernel.hostname=x\" for \"--sysctl\" flag: sysctl 'kernel.hostname=x' is not whitelisted");
        Refused(["--sysctl", "vm.swappiness=1"], "sysctl 'vm.swappiness=1' is not whitelisted");
        var host = anchor.RunRm(["--network", "host", "--sysctl", "net.core.somaxconn=100"], "true");
        Assert.True(host.ExitCode == 125, host.ToString());
        Assert.Contains("sysctl \"net.core.somaxconn\" not allowed in host network namespace", host.Err, StringComparison.Ordinal);
        Refused(["--ipc", "host", "--sysctl", "kernel.shmmax=1"], "sysctl \"kernel.shmmax\" is not allowed in the hosts ipc namespace");
    }

    [Fact]
    public void ShmSize_SizesDevShm_BadSizeIs125()
    {
        Assert.Contains("size=131072k", Ok("grep ' /dev/shm ' /proc/mounts", "--shm-size", "128m"));
        Assert.Contains("size=65536k", Ok("grep ' /dev/shm ' /proc/mounts"));
        Refused(["--shm-size", "lots"], "invalid argument \"lots\" for \"--shm-size\" flag: invalid size: 'lots'");
    }

    [Fact]
    public void Ipc_Host_SharesTheHostsNamespaceAndShm_NoneHasNoShm()
    {
        var hostIpc = new FileInfo("/proc/self/ns/ipc").LinkTarget;
        var marker = Path.Combine("/dev/shm", "anchor-it-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(marker, "host-shm");
        try
        {
            Assert.Equal($"{hostIpc}\nhost-shm", Ok($"readlink /proc/self/ns/ipc; cat {marker}", "--ipc", "host"));
        }
        finally
        {
            File.Delete(marker);
        }

        Assert.NotEqual(hostIpc, Ok("readlink /proc/self/ns/ipc"));
        Assert.Equal("absent", Ok("grep -q ' /dev/shm ' /proc/mounts && echo mounted || echo absent", "--ipc", "none"));
        // docker 20.10's daemon refuses it at the start: no usage hint (tests/compare run.ipc.bad).
        var bogus = anchor.RunRm([.. NoNet, "--ipc", "bogus"], "true");
        Assert.True(bogus.ExitCode == 125, bogus.ToString());
        Assert.Equal("anchor: Error response from daemon: Invalid IPC mode: bogus.", bogus.Err);
    }

    [Fact]
    public void Ipc_Container_JoinsAShareableDonor_WithItsShm()
    {
        var donor = Detached.UniqueName("ipc-donor");
        var plain = Detached.UniqueName("ipc-plain");
        try
        {
            anchor.RunDetached(donor, [.. NoNet, "--ipc", "shareable"], "sh", "-c", "echo from-donor > /dev/shm/x; sleep 30");
            anchor.RunDetached(plain, NoNet, "sleep", "30");
            Detached.Eventually(() => anchor.Anchor(["exec", donor, "cat", "/dev/shm/x"]).Out == "from-donor", TimeSpan.FromSeconds(10), () => "the donor wrote no /dev/shm/x");
            var donorIpc = anchor.Ok("exec", donor, "readlink", "/proc/self/ns/ipc").Out;
            Assert.Equal($"{donorIpc}\nfrom-donor", Ok("readlink /proc/self/ns/ipc; cat /dev/shm/x; echo back > /dev/shm/y", "--ipc", $"container:{donor}"));
            Assert.Equal("back", anchor.Ok("exec", donor, "cat", "/dev/shm/y").Out);
            Refused(["--ipc", $"container:{plain}"], $"can't join IPC of container {plain}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)");
            Refused(["--ipc", "container:no-such-donor"], "No such container: no-such-donor");
        }
        finally
        {
            anchor.ForceRemove(donor, plain);
        }
    }

    [Fact]
    public void Pid_HostAndContainer_ShareThatPidNamespace()
    {
        var hostPid = new FileInfo("/proc/self/ns/pid").LinkTarget;
        Assert.Equal(hostPid, Ok("readlink /proc/self/ns/pid", "--pid", "host"));
        // The host's processes are visible, this test runner among them.
        Assert.Equal("seen", Ok($"test -d /proc/{Environment.ProcessId} && echo seen", "--pid", "host"));
        var donor = Detached.UniqueName("pid-donor");
        try
        {
            anchor.RunDetached(donor, NoNet, "sleep", "30");
            var donorPid = anchor.Ok("exec", donor, "readlink", "/proc/self/ns/pid").Out;
            Assert.Equal($"{donorPid}\nsleep 30", Ok("readlink /proc/self/ns/pid; tr '\\0' ' ' < /proc/1/cmdline | sed 's/ $//'", "--pid", $"container:{donor}"));
        }
        finally
        {
            anchor.ForceRemove(donor);
        }

        Refused(["--pid", "bogus"], "--pid: invalid PID mode");
        Refused(["--pid", "container:no-such-donor"], "No such container: no-such-donor");
    }

    [Fact]
    public void Uts_Host_IsTheHostsName_DomainnameIsSetInside()
    {
        Assert.Equal(AnchorFixture.HostHostname(), Ok("hostname", "--uts", "host"));
        Assert.Equal("example.org", Ok("cat /proc/sys/kernel/domainname", "--domainname", "example.org"));
        Assert.Equal("(none)", Ok("cat /proc/sys/kernel/domainname"));
        Refused(["--uts", "private"], "--uts: invalid UTS mode");
    }

    [Fact]
    public void MacAddress_IsEth0sOnTheBridge_InvalidIs125()
    {
        var run = anchor.RunRm(["--mac-address", "92:D0:C6:0A:29:33"], "cat", "/sys/class/net/eth0/address");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("92:d0:c6:0a:29:33", run.Out);
        Refused(["--mac-address", "92:d0:c6:0a:29"], "92:d0:c6:0a:29 is not a valid mac address");
    }

    [Fact]
    public void Inspect_ShowsTheFlags_WhereDockerDoes()
    {
        var name = Detached.UniqueName("nsflags");
        var plain = Detached.UniqueName("nsdefault");
        try
        {
            anchor.Ok("create", "--name", name, "--network", "none", "--ulimit", "nofile=100:200", "--sysctl", "net.core.somaxconn=99",
                "--shm-size", "1g", "--ipc", "shareable", "--pid", "host", "--uts", "host", "--domainname", "dom.example",
                "--group-add", "33", "--oom-score-adj", "7", "--mac-address", "92:d0:c6:0a:29:33", AnchorFixture.Image, "true");
            using var doc = JsonDocument.Parse(anchor.Ok("inspect", name).Out);
            var host = doc.RootElement[0].GetProperty("HostConfig");
            var config = doc.RootElement[0].GetProperty("Config");
            Assert.Equal("[{\"Name\":\"nofile\",\"Hard\":200,\"Soft\":100}]", host.GetProperty("Ulimits").GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
            Assert.Equal("99", host.GetProperty("Sysctls").GetProperty("net.core.somaxconn").GetString());
            Assert.Equal(1L << 30, host.GetProperty("ShmSize").GetInt64());
            Assert.Equal("shareable", host.GetProperty("IpcMode").GetString());
            Assert.Equal("host", host.GetProperty("PidMode").GetString());
            Assert.Equal("host", host.GetProperty("UTSMode").GetString());
            Assert.Equal("33", host.GetProperty("GroupAdd")[0].GetString());
            Assert.Equal(7, host.GetProperty("OomScoreAdj").GetInt32());
            Assert.Equal("dom.example", config.GetProperty("Domainname").GetString());
            Assert.Equal("92:d0:c6:0a:29:33", config.GetProperty("MacAddress").GetString());
            Assert.Equal("67108864 private []", anchor.Ok("inspect", "-f", "{{.HostConfig.ShmSize}} {{.HostConfig.IpcMode}} {{.HostConfig.Ulimits}}", anchor.RunDetached(plain, NoNet, "true")).Out);
        }
        finally
        {
            anchor.ForceRemove(name, plain);
        }
    }

    /// <summary>The caller ignores SIGINT, SIGQUIT and SIGPIPE (a nohup'd script, a CI runner): none of that may reach a container.</summary>
    private ProcessResult WithIgnoredSignals(params string[] args) =>
        ProcessRunner.Run("/bin/sh", ["-c", "trap '' INT QUIT PIPE; exec \"$@\"", "sh", anchor.Bin, .. anchor.StoreArgs, .. args], timeout: TimeSpan.FromSeconds(60));

    private const string SignalState = "^Sig(Ign|Blk)";

    [Fact]
    public void Signals_RunAndDetachedRun_StartAtDefaults_WithNothingBlocked()
    {
        var run = WithIgnoredSignals("run", "--rm", "--network", "none", AnchorFixture.Image, "grep", "-E", SignalState, "/proc/self/status");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000", run.Out);

        var name = Detached.UniqueName("signals");
        try
        {
            var detached = WithIgnoredSignals("run", "-d", "--name", name, "--network", "none", AnchorFixture.Image, "grep", "-E", SignalState, "/proc/self/status");
            Assert.True(detached.ExitCode == 0, detached.ToString());
            anchor.WaitExit(name);
            Assert.Equal(["SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"], anchor.LogLines(name));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Signals_ExecAndBuildRun_StartAtDefaults()
    {
        var name = Detached.UniqueName("signals-exec");
        try
        {
            var started = WithIgnoredSignals("run", "-d", "--name", name, "--network", "none", AnchorFixture.Image, "sleep", "30");
            Assert.True(started.ExitCode == 0, started.ToString());
            var exec = WithIgnoredSignals("exec", name, "grep", "-E", SignalState, "/proc/self/status");
            Assert.True(exec.ExitCode == 0, exec.ToString());
            Assert.Equal("SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000", exec.Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }

        // Exec form: a shell would ignore SIGQUIT itself (ash and bash do, in docker too).
        var context = Directory.CreateTempSubdirectory("anchor-it-sigbuild").FullName;
        try
        {
            File.WriteAllText(Path.Combine(context, "Dockerfile"), "FROM busybox\nRUN [\"grep\", \"-E\", \"^Sig(Ign|Blk)\", \"/proc/self/status\"]\n");
            var build = WithIgnoredSignals("build", "--no-cache", context);
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Contains("SigIgn:\t0000000000000000", build.Stdout + build.Stderr, StringComparison.Ordinal);
            Assert.Contains("SigBlk:\t0000000000000000", build.Stdout + build.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(context, true);
        }
    }

    /// <summary>Whether this process has the capability in its effective set (/proc/self/status CapEff).</summary>
    private static bool HasCapability(int capability)
    {
        var line = File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        var mask = ulong.Parse(line["CapEff:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        return (mask & (1UL << capability)) != 0;
    }
}
