using Anchor.Engine.Containers;
using Anchor.Engine.Run;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Tests;

/// <summary>The parsers and spec rules of --ulimit, --sysctl, --ipc/--pid/--uts, --shm-size and --mac-address.</summary>
public sealed class RunNamespaceOptionTests
{
    [Theory]
    [InlineData("nofile=1024", "nofile", 1024, 1024)]
    [InlineData("nofile=512:1024", "nofile", 512, 1024)]
    [InlineData("core=-1", "core", -1, -1)]
    [InlineData("memlock=100:-1", "memlock", 100, -1)]
    [InlineData("stack=-1:-1", "stack", -1, -1)]
    public void Ulimit_Parses_SoftAndHard(string value, string name, long soft, long hard) =>
        Assert.Equal(new Ulimit(name, soft, hard), UlimitParser.Parse(value));

    [Theory]
    [InlineData("nofile", "invalid argument \"nofile\" for \"--ulimit\" flag: invalid ulimit argument: nofile")]
    [InlineData("as=1", "invalid argument \"as=1\" for \"--ulimit\" flag: invalid ulimit type: as")]
    [InlineData("nofile=1:2:3", "invalid argument \"nofile=1:2:3\" for \"--ulimit\" flag: too many limit value arguments - 1:2:3, can only have up to two, `soft[:hard]`")]
    [InlineData("nofile=x", "invalid argument \"nofile=x\" for \"--ulimit\" flag: strconv.ParseInt: parsing \"x\": invalid syntax")]
    [InlineData("nofile=5:2", "invalid argument \"nofile=5:2\" for \"--ulimit\" flag: ulimit soft limit must be less than or equal to hard limit: 5 > 2")]
    [InlineData("nofile=-1:10", "invalid argument \"nofile=-1:10\" for \"--ulimit\" flag: ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: 10")]
    public void Ulimit_Invalid_FailsWithDockersWording(string value, string message)
    {
        var error = Assert.Throws<EngineException>(() => UlimitParser.Parse(value));
        Assert.Equal(message, error.Message);
        Assert.Equal(125, error.ExitCode);
    }

    [Fact]
    public void Ulimits_LaterWins_SortedByName_InfinityIsAllOnes()
    {
        var limits = UlimitParser.ParseAll(["nproc=5", "nofile=1", "nofile=2:3", "core=-1"]);
        Assert.Equal(["core", "nofile", "nproc"], limits.Select(l => l.Name));
        Assert.Equal(new Ulimit("nofile", 2, 3), limits[1]);
        var spec = UlimitParser.ToSpec(limits)!;
        Assert.Equal("RLIMIT_CORE", spec[0].Type);
        Assert.Equal(ulong.MaxValue, spec[0].Soft);
        Assert.Equal("RLIMIT_NPROC", spec[2].Type);
        Assert.Null(UlimitParser.ToSpec([]));
    }

    [Theory]
    [InlineData("kernel.msgmax=1")]
    [InlineData("kernel.shm_rmid_forced=1")]
    [InlineData("kernel.sem=250 32000 32 128")]
    [InlineData("fs.mqueue.msg_max=20")]
    [InlineData("net.ipv4.ip_forward=1")]
    public void Sysctl_NamespacedKeys_AreAllowed(string value) => Assert.NotNull(SysctlPolicy.ParseAll([value]));

    [Theory]
    [InlineData("kernel.hostname=x")]
    [InlineData("vm.swappiness=1")]
    [InlineData("kernel.domainname=x")]
    [InlineData("net.core.somaxconn")]
    [InlineData("=1")]
    public void Sysctl_OtherKeys_AreRefused(string value)
    {
        var error = Assert.Throws<EngineException>(() => SysctlPolicy.ParseAll([value]));
        Assert.Equal($"invalid argument \"{value}\" for \"--sysctl\" flag: sysctl '{value}' is not whitelisted", error.Message);
    }

    [Fact]
    public void Sysctl_NeedsTheContainersOwnNamespace()
    {
        var net = new Dictionary<string, string> { ["net.core.somaxconn"] = "1" };
        var ipc = new Dictionary<string, string> { ["kernel.shmmax"] = "1" };
        var host = NamespaceModes.For(new RunOptions { Image = "i", Network = NetworkMode.Host, IpcMode = "host" });
        Assert.Contains("not allowed in host network namespace", Assert.Throws<EngineException>(() => SysctlPolicy.CheckNamespaces(net, host)).Message);
        Assert.Contains("is not allowed in the hosts ipc namespace", Assert.Throws<EngineException>(() => SysctlPolicy.CheckNamespaces(ipc, host)).Message);
        var own = NamespaceModes.For(new RunOptions { Image = "i", Network = NetworkMode.None, IpcMode = "container:x" });
        SysctlPolicy.CheckNamespaces(net, own);
        SysctlPolicy.CheckNamespaces(ipc, own);
    }

    [Fact]
    public void NamespaceModes_HostModes_LeaveTheNamespaceOut()
    {
        static string[] Types(RunOptions o) => [.. NamespaceModes.For(o).Select(n => n.Type)];
        Assert.Equal(["pid", "ipc", "mount", "uts", "network"], Types(new RunOptions { Image = "i" }));
        Assert.Equal(["ipc", "mount", "uts", "network"], Types(new RunOptions { Image = "i", PidMode = "host" }));
        Assert.Equal(["pid", "mount", "uts", "network"], Types(new RunOptions { Image = "i", IpcMode = "host" }));
        Assert.Equal(["pid", "ipc", "mount", "network"], Types(new RunOptions { Image = "i", UtsMode = "host" }));
        Assert.Equal(["pid", "ipc", "mount"], Types(new RunOptions { Image = "i", Network = NetworkMode.Host }));
    }

    [Theory]
    [InlineData("--ipc", "bogus", "Error response from daemon: Invalid IPC mode: bogus")]
    [InlineData("--ipc", "container:", "Error response from daemon: Invalid IPC mode: container:")]
    [InlineData("--pid", "private", "--pid: invalid PID mode")]
    [InlineData("--pid", "container:", "--pid: invalid PID mode")]
    [InlineData("--uts", "private", "--uts: invalid UTS mode")]
    public void NamespaceModes_Invalid_FailWithDockersWording(string flag, string value, string message)
    {
        Func<string?, string?> parse = flag switch
        {
            "--ipc" => NamespaceModes.ParseIpc,
            "--pid" => NamespaceModes.ParsePid,
            _ => NamespaceModes.ParseUts,
        };
        Assert.Equal(message, Assert.Throws<EngineException>(() => parse(value)).Shown());
    }

    [Theory]
    [InlineData(null, "tmpfs", "size=67108864")]
    [InlineData("private", "tmpfs", "size=67108864")]
    [InlineData("shareable", "tmpfs", "size=1073741824")]
    [InlineData("host", "bind", "rbind")]
    public void ShmMounts_FollowTheIpcMode(string? mode, string type, string option)
    {
        var shm = Assert.Single(ShmMounts.For(new RunOptions { Image = "i", IpcMode = mode, ShmSize = mode == "shareable" ? 1L << 30 : 0 }, null));
        Assert.Equal("/dev/shm", shm.Destination);
        Assert.Equal(type, shm.Type);
        Assert.Contains(option, shm.Options);
    }

    [Fact]
    public void ShmMounts_None_HasNoShm_Container_BindsTheDonors()
    {
        Assert.Empty(ShmMounts.For(new RunOptions { Image = "i", IpcMode = "none" }, null));
        var joined = new RunOptions { Image = "i", IpcMode = "container:db" };
        Assert.Equal(ShmMounts.Unresolved, Assert.Single(ShmMounts.For(joined, null)).Source);
        var resolved = ShmMounts.DonorShm([new SpecNamespace { Type = "ipc", Path = "/proc/42/ns/ipc" }]);
        Assert.Equal("/proc/42/root/dev/shm", resolved);
        var spec = new Spec
        {
            Process = new SpecProcess { Args = ["true"] },
            Root = new SpecRoot { Path = "/r" },
            Linux = new SpecLinux(),
            Mounts = ShmMounts.For(joined, null),
        };
        Assert.Equal("/proc/42/root/dev/shm", ShmMounts.WithDonor(spec, resolved).Mounts[0].Source);
    }

    [Theory]
    [InlineData("92:d0:c6:0a:29:33", "92:d0:c6:0a:29:33")]
    [InlineData("92-D0-C6-0A-29-33", "92:d0:c6:0a:29:33")]
    [InlineData("92d0.c60a.2933", "92:d0:c6:0a:29:33")]
    public void MacAddress_GoForms_Normalise(string value, string normal)
    {
        Assert.Equal(value, MacAddress.Validate(value));
        Assert.Equal(normal, MacAddress.Normalize(value));
    }

    [Theory]
    [InlineData("92:d0:c6:0a:29")]
    [InlineData("92:d0:c6:0a:29:zz")]
    [InlineData("92:d0-c6:0a:29:33")]
    public void MacAddress_Invalid_FailsWithDockersWording(string value) =>
        Assert.Equal($"{value} is not a valid mac address", Assert.Throws<EngineException>(() => MacAddress.Validate(value)).Message);

    [Fact]
    public void JoinedNamespaces_NoDonor_FailsBeforeAnythingStarts()
    {
        var root = Directory.CreateTempSubdirectory("anchor-joined").FullName;
        try
        {
            var containers = new ContainerStore(new AnchorPaths(Path.Combine(root, "root"), Path.Combine(root, "run")));
            var ipc = new RunOptions { Image = "i", IpcMode = "container:ghost" };
            Assert.Equal(
                "Error response from daemon: can't join IPC of container ghost: No such container: ghost",
                Assert.Throws<EngineException>(() => JoinedNamespaces.Resolve(NamespaceModes.For(ipc), ipc, containers)).Shown());
            var pid = new RunOptions { Image = "i", PidMode = "container:ghost" };
            Assert.StartsWith(
                "Error response from daemon: cannot join PID of a non running container: ghost",
                Assert.Throws<EngineException>(() => JoinedNamespaces.Resolve(NamespaceModes.For(pid), pid, containers)).Shown());
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
