using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Tests.Init;

/// <summary>
/// The project's C for real (no namespaces needed): a gated child of a test thread runs the exec
/// tail and a shell that reports its credentials, capability sets, no_new_privs and seccomp mode.
/// </summary>
public sealed class GatedSpawnTests
{
    private const string Report = "grep -E '^(Uid|Gid|Groups|CapEff|CapPrm|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status";

    private static SpecProcess Process(uint uid, bool noNewPrivileges = false) =>
        TestProcesses.WithDockerCapabilities(["/bin/sh", "-c", Report], ["PATH=/bin:/usr/bin"], uid, noNewPrivileges);

    /// <summary>Spawns with the tail, opens the gate, returns the child's report and exit status.</summary>
    private static (Dictionary<string, string> Status, int Code) Run(SpecProcess process, ExecConfinement confinement, UserNamespace? userns = null)
    {
        using var request = ExecTail.Build(process, process.Args[0], confinement);
        var (read, write) = OwnedFd.Pipe();
        using var _ = read;
        using var gate = new GatedSpawn();
        if (userns is not null)
        {
            gate.JoinUserNamespace(userns.UserFd);
        }

        var (abortRead, abortWrite) = OwnedFd.Pipe();
        using var __ = abortRead;
        using var ___ = abortWrite;
        request.SetStdio(-1, write.Fd, -1);
        var spawn = SpawnThread.Start(gate, request);
        var pid = gate.WaitReady(abortRead.Fd);
        Assert.True(pid > 0, "the child never reached its gate");
        gate.Open();
        var (started, failure) = spawn.Join();
        write.Dispose();
        Assert.Null(failure);
        Assert.Equal(pid, started);
        using var reader = new StreamReader(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(read.DangerousGetHandle(), ownsHandle: false), FileAccess.Read));
        var status = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1].Trim());
        return (status, Sys.WaitForExitNoReap(pid) ?? -1);
    }

    private static bool IsRoot => LibC.geteuid() == 0;

    [Fact]
    public void Root_GetsDockersCapabilities_AndAKeyringButNoFilter()
    {
        if (!IsRoot)
        {
            return;
        }

        var (status, code) = Run(Process(0), ExecConfinement.Default);
        Assert.Equal(0, code);
        Assert.Equal("00000000a80425fb", status["CapEff"]);
        Assert.Equal("00000000a80425fb", status["CapBnd"]);
        Assert.Equal("7", status["Groups"]);
        Assert.Equal("0", status["Seccomp"]);
    }

    [Fact]
    public void Root_JoiningAUserNamespace_IsItsRoot_WithDockersCapabilitiesAndTheMap()
    {
        if (!IsRoot)
        {
            return;
        }

        // No other namespace: the maker's clone gets CLONE_NEWUSER alone.
        using var userns = UserNamespace.Create(0, "0 1500000000 100\n", "0 1600000000 100\n");
        var process = TestProcesses.WithDockerCapabilities(
            ["/bin/sh", "-c", "grep -E '^(Uid|Gid|CapEff):' /proc/self/status; echo \"Uidmap: $(cat /proc/self/uid_map)\"; echo \"Gidmap: $(cat /proc/self/gid_map)\""],
            ["PATH=/bin:/usr/bin"], 0, noNewPrivileges: false);
        var (status, code) = Run(process, ExecConfinement.Default, userns);
        Assert.Equal(0, code);
        Assert.StartsWith("0\t0\t0\t0", status["Uid"], StringComparison.Ordinal);
        Assert.StartsWith("0\t0\t0\t0", status["Gid"], StringComparison.Ordinal);
        Assert.Equal("00000000a80425fb", status["CapEff"]);
        Assert.Equal("0 1500000000 100", string.Join(' ', status["Uidmap"].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("0 1600000000 100", string.Join(' ', status["Gidmap"].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void User_LosesEffectiveAndPermitted_KeepsTheBoundingSet()
    {
        if (!IsRoot)
        {
            return;
        }

        var (status, _) = Run(Process(65534, noNewPrivileges: true), ExecConfinement.Default);
        Assert.StartsWith("65534", status["Uid"], StringComparison.Ordinal);
        Assert.StartsWith("65534", status["Gid"], StringComparison.Ordinal);
        Assert.Equal("0000000000000000", status["CapEff"]);
        Assert.Equal("0000000000000000", status["CapPrm"]);
        Assert.Equal("00000000a80425fb", status["CapBnd"]);
        Assert.Equal("1", status["NoNewPrivs"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Seccomp_IsInstalled_WithOrWithoutNoNewPrivs(bool noNewPrivileges)
    {
        if (!IsRoot)
        {
            return;
        }

        // A filter that allows everything, so the shell runs.
        var (status, code) = Run(Process(0, noNewPrivileges), new ExecConfinement(TestProcesses.AllowAll, 0, true, false));
        Assert.Equal(0, code);
        Assert.Equal("2", status["Seccomp"]);
    }

    [Fact]
    public void AbandonedGate_TheChildExitsWithoutRunning()
    {
        using var request = ExecTail.Build(Process(0), "/bin/sh", ExecConfinement.Default);
        using var gate = new GatedSpawn();
        var (abortRead, abortWrite) = OwnedFd.Pipe();
        using var _ = abortRead;
        using var __ = abortWrite;
        var spawn = SpawnThread.Start(gate, request);
        var pid = gate.WaitReady(abortRead.Fd);
        Assert.True(pid > 0);
        // What the launcher's death does too: the gate's write end closes, the child reads end of file.
        gate.Abandon();
        var (exited, failure) = spawn.Join();
        Assert.Equal(pid, exited);
        Assert.NotNull(failure);
        Assert.True(failure.Value.Abandoned);
        Assert.Equal(255, Sys.WaitForExitNoReap(pid));
        Sys.Reap(pid, block: true);
    }

    [Fact]
    public void MissingProgram_IsReportedAsExecveENOENT()
    {
        var process = Process(0) with { Args = ["/no/such/program"] };
        using var request = ExecTail.Build(process, "/no/such/program", ExecConfinement.Default);
        using var gate = new GatedSpawn();
        var (abortRead, abortWrite) = OwnedFd.Pipe();
        using var _ = abortRead;
        using var __ = abortWrite;
        var spawn = SpawnThread.Start(gate, request);
        Assert.True(gate.WaitReady(abortRead.Fd) > 0);
        gate.Open();
        var (pid, failure) = spawn.Join();
        Assert.NotNull(failure);
        Assert.True(failure.Value.NotFound);
        Assert.Equal((127, "exec \"/no/such/program\": no such file or directory"), ExecTail.Describe(failure.Value, process.Args));
        Sys.Reap(pid, block: true);
    }

    [Fact]
    public void JoinCgroup_TheChildIsInTheGroupWhenReady_AndItsCommandRunsThere()
    {
        if (!IsRoot || Anchor.Runtime.Cgroups.CgroupDetector.Detect() != Anchor.Runtime.Cgroups.CgroupVersion.V1)
        {
            return; // v2 has no "tasks" files: the launcher moves the process there
        }

        var cgroup = Anchor.Runtime.Cgroups.CgroupFactory.Create("gated-spawn-test-" + Guid.NewGuid().ToString("N")[..12], Anchor.Runtime.Cgroups.CgroupVersion.V1, Anchor.Runtime.Cgroups.CgroupDetector.DefaultRoot);
        cgroup.Create(null);
        try
        {
            var process = TestProcesses.WithDockerCapabilities(["/bin/sh", "-c", "cat /proc/self/cgroup"], ["PATH=/bin:/usr/bin"], 0, false);
            using var request = ExecTail.Build(process, "/bin/sh", ExecConfinement.Default);
            var (read, write) = OwnedFd.Pipe();
            using var _ = read;
            using var gate = new GatedSpawn();
            var (abortRead, abortWrite) = OwnedFd.Pipe();
            using var __ = abortRead;
            using var ___ = abortWrite;
            gate.JoinCgroup(cgroup.OpenTasksFiles()!);
            Assert.True(gate.JoinsCgroup);
            request.SetStdio(-1, write.Fd, -1);
            var spawn = SpawnThread.Start(gate, request);
            var pid = gate.WaitReady(abortRead.Fd);
            Assert.True(pid > 0, "the child never reached its gate");

            // Joined before it reported ready: the launcher moves nothing.
            Assert.Contains(pid, cgroup.Pids());
            gate.Open();
            var (_, failure) = spawn.Join();
            write.Dispose();
            Assert.Null(failure);
            using var reader = new StreamReader(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(read.DangerousGetHandle(), ownsHandle: false), FileAccess.Read));
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(0, Sys.WaitForExitNoReap(pid));
            Sys.Reap(pid, block: true);
            Assert.Contains(lines, l => l.Contains(":pids:/anchor/gated-spawn-test-", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains(":memory:/anchor/gated-spawn-test-", StringComparison.Ordinal));
        }
        finally
        {
            cgroup.Destroy();
        }
    }

    [Fact]
    public void JoinCgroup_AFileThatRefusesTheWrite_StopsTheChildBeforeItsCommand()
    {
        if (!IsRoot)
        {
            return;
        }

        // A read-only descriptor: write(2) fails with EBADF, as a vanished group's would fail.
        var path = Path.Combine(Path.GetTempPath(), "gated-spawn-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, "");
        try
        {
            var fd = OwnedFd.Check(LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0), "open", path);
            using var request = ExecTail.Build(Process(0), "/bin/sh", ExecConfinement.Default);
            using var gate = new GatedSpawn();
            gate.JoinCgroup([fd]);
            // It exits before it reports ready; Start returns then (vfork).
            var (pid, failure) = SpawnThread.Start(gate, request).Join();
            Assert.NotNull(failure);
            Assert.Equal(ExecStep.Cgroup, failure.Value.Step);
            Assert.Equal(9, failure.Value.Errno); // EBADF
            Assert.StartsWith("join the container's cgroup: ", failure.Value.Describe(), StringComparison.Ordinal);
            Assert.Equal(126, Sys.WaitForExitNoReap(pid));
            Sys.Reap(pid, block: true);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Start blocks its thread until the child exec'd or exited (vfork): a thread of its own.</summary>
    private sealed class SpawnThread
    {
        private readonly Thread _thread;
        private (int Pid, ExecFailure? Failure) _result;

        private SpawnThread(GatedSpawn gate, ExecRequest request) =>
            _thread = new Thread(() => _result = gate.Start(request)) { IsBackground = true };

        public static SpawnThread Start(GatedSpawn gate, ExecRequest request)
        {
            var spawn = new SpawnThread(gate, request);
            spawn._thread.Start();
            return spawn;
        }

        public (int Pid, ExecFailure? Failure) Join()
        {
            _thread.Join();
            return _result;
        }
    }
}
