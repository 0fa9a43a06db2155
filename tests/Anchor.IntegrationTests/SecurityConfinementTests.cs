using System.Diagnostics;

namespace Anchor.IntegrationTests;

/// <summary>
/// The confinement issue's attacks on the keyring, the /etc files of a --read-only container, the
/// cgroup view, and a launcher killed while its container waits at the start gate: each must end as
/// it does under docker.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class SecurityConfinementTests(AnchorFixture anchor)
{
    [Fact]
    public void Keyring_ContainerRootCannotFindTheHostsKeys()
    {
        // Finding 3: container root found host root's user keyring through its session keyring.
        var name = "anchor-it-" + Guid.NewGuid().ToString("N")[..8];
        var probe = Path.Combine(anchor.TempDir, "probe");
        _ = SyscallProbe.Mount(anchor);
        var add = ProcessRunner.Run(probe, [$"host-add-key={name}"]);
        Assert.Equal("host-add-key: ok", add.Out);
        try
        {
            // Unconfined: only the new session keyring stands between the container and the host's keys.
            var inside = SyscallProbe.Run(anchor, ["--security-opt", "seccomp=unconfined"], "session-keyring", $"search-session={name}", $"request-key={name}");
            Assert.EndsWith(";_ses", inside["session-keyring"], StringComparison.Ordinal);
            Assert.Equal("ENOKEY", inside["search-session"]);
            Assert.Equal("ENOKEY", inside["request-key"]);
        }
        finally
        {
            Assert.Equal("host-unlink-key: ok", ProcessRunner.Run(probe, [$"host-unlink-key={name}"]).Out);
        }
    }

    [Fact]
    public void Keyring_EveryContainerGetsItsOwnSessionKeyring()
    {
        var first = SyscallProbe.Run(anchor, ["--security-opt", "seccomp=unconfined"], "session-keyring")["session-keyring"];
        var host = ProcessRunner.Run(Path.Combine(anchor.TempDir, "probe"), ["session-keyring"]).Out;
        Assert.DoesNotContain("_uid_ses", first, StringComparison.Ordinal);
        Assert.NotEqual(host, "session-keyring: " + first);
    }

    /// <summary>Finding 2: every one of these reached the kernel; docker's default profile refuses them.</summary>
    private static readonly string[] RefusedByDockersProfile =
    [
        "unshare-user", "userns-mount", "keyctl", "add-key", "request-key=x", "perf_event_open", "userfaultfd",
        "move_pages", "mbind", "kcmp", "personality-rie", "open_tree", "fsopen",
    ];

    [Theory]
    [InlineData("run")]
    [InlineData("run-init-stage")]
    [InlineData("exec")]
    public void Seccomp_DockersDefaultProfile_RefusesTheAttacks(string path)
    {
        Dictionary<string, string> results;
        if (path == "exec")
        {
            var id = anchor.Anchor([.. "run -d --network none".Split(' '), .. SyscallProbe.Mount(anchor), AnchorFixture.Image, "sleep", "60"]).Out;
            try
            {
                var exec = anchor.Anchor(["exec", id, "/probe", "seccomp-mode", .. RefusedByDockersProfile, "clone3", "getpid"]);
                Assert.True(exec.ExitCode == 0, exec.ToString());
                results = exec.Out.Split('\n').Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1]);
            }
            finally
            {
                anchor.Anchor(["rm", "-f", id]);
            }
        }
        else
        {
            var env = path == "run-init-stage" ? new Dictionary<string, string?> { ["ANCHOR_INIT_STAGE"] = "1" } : null;
            var run = ProcessRunner.Run(anchor.Bin, [.. anchor.StoreArgs, "run", "--rm", "--network", "none", .. SyscallProbe.Mount(anchor), AnchorFixture.Image,
                "/probe", "seccomp-mode", .. RefusedByDockersProfile, "clone3", "getpid"], env: env);
            Assert.True(run.ExitCode == 0, run.ToString());
            results = run.Out.Split('\n').Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1]);
        }

        Assert.Equal("2", results["seccomp-mode"]);
        foreach (var probe in RefusedByDockersProfile)
        {
            Assert.True(results[probe.Split('=')[0]] == "EPERM", $"{probe}: {results[probe.Split('=')[0]]}");
        }

        // glibc falls back from clone3 to clone only on ENOSYS (docker's profile: errnoRet 38).
        Assert.Equal("ENOSYS", results["clone3"]);
        Assert.Equal("ok", results["getpid"]);
    }

    [Fact]
    public void Seccomp_BuildRunSteps_AreFilteredToo()
    {
        _ = SyscallProbe.Mount(anchor); // compiles the probe
        var context = Path.Combine(anchor.TempDir, "seccomp-build");
        Directory.CreateDirectory(context);
        File.Copy(Path.Combine(anchor.TempDir, "probe"), Path.Combine(context, "probe"), overwrite: true);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), "FROM busybox\nCOPY probe /probe\nRUN /probe seccomp-mode unshare-user > /result\n");
        var build = anchor.Anchor(["build", "-q", "--no-cache", "-t", "seccomp-build:latest", context], timeout: TimeSpan.FromSeconds(120));
        Assert.True(build.ExitCode == 0, build.ToString());
        try
        {
            var result = anchor.Anchor(["run", "--rm", "--network", "none", "seccomp-build", "cat", "/result"]);
            Assert.Equal("seccomp-mode: 2\nunshare-user: EPERM", result.Out);
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", "seccomp-build:latest"]);
        }
    }

    [Theory]
    [InlineData("/etc/hosts")]
    [InlineData("/etc/resolv.conf")]
    [InlineData("/etc/hostname")]
    public void ReadOnly_EtcFilesAreReadOnlyToo(string path)
    {
        // Finding 6: --read-only left the /etc binds writable.
        var result = anchor.Sh($"echo x >> {path}", "--read-only");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Read-only file system", result.Err, StringComparison.Ordinal);
        Assert.Equal(0, anchor.Sh($"echo x >> {path}").ExitCode);
    }

    [Fact]
    public void CgroupView_ShowsTheContainersOwnLimits_ReadOnly()
    {
        // v1: each hierarchy under /sys/fs/cgroup/NAME; v2: the files at /sys/fs/cgroup itself.
        var script = "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max; "
            + "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max; "
            + "touch /sys/fs/cgroup/x 2>&1; grep ' /sys/fs/cgroup' /proc/self/mountinfo | head -1";
        var lines = anchor.ShOk(script, "--pids-limit", "77", "--memory", "64m").Split('\n');
        Assert.Equal("77", lines[0]);
        Assert.Equal((64 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), lines[1]);
        Assert.Contains("Read-only file system", lines[2], StringComparison.Ordinal);
        Assert.Contains(" ro,", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void CgroupView_OfADetachedContainer_ShowsItsLimitsToo()
    {
        // run -d goes through create (config.json) and the monitor: the same view as a foreground run.
        var id = anchor.Anchor(["run", "-d", "--network", "none", "--pids-limit", "55", AnchorFixture.Image, "sleep", "60"]).Out;
        try
        {
            var exec = anchor.Anchor(["exec", id, "sh", "-c", "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max"]);
            Assert.True(exec.ExitCode == 0, exec.ToString());
            Assert.Equal("55", exec.Out);
        }
        finally
        {
            anchor.Anchor(["rm", "-f", id]);
        }
    }

    [Fact]
    public void CgroupNamespacePrivate_ShowsTheContainersCgroupAsRoot()
    {
        var cgroup = anchor.ShOk("cat /proc/self/cgroup", "--cgroupns", "private").Split('\n');
        // The hierarchies the container joined (pids at least) show "/", not the host's anchor/ID.
        Assert.Contains(cgroup, line => line.Contains(":pids:/", StringComparison.Ordinal) && line.EndsWith(":/", StringComparison.Ordinal)
            || line.StartsWith("0::/", StringComparison.Ordinal) && line == "0::/");
        Assert.DoesNotContain(cgroup, line => line.Contains("/anchor/", StringComparison.Ordinal));
    }

    [Fact]
    public void CgroupNamespaceHost_ShowsTheHostPath()
    {
        var cgroup = anchor.ShOk("cat /proc/self/cgroup", "--cgroupns", "host");
        Assert.Contains("/anchor/", cgroup, StringComparison.Ordinal);
    }

    [Fact]
    public void CgroupNs_BadValue_IsRefused()
    {
        var result = anchor.RunRm(["--cgroupns", "bogus"], "true");
        Assert.Equal(125, result.ExitCode);
        Assert.Contains("--cgroupns: invalid CGROUP mode", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void KilledLauncher_LeavesNoProcessWaitingAtTheGate()
    {
        // Finding 7: a child blocked at the spawn gate survived SIGKILL of `anchor run`, with every
        // signal but KILL blocked. Now the gate is a pipe: the launcher's death is end of file.
        var random = new Random(7);
        var marker = "gate-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 24; i++)
        {
            using var run = ProcessRunner.Start(anchor.Bin, [.. anchor.StoreArgs, "run", "--rm", "--network", "none", "-e", "M=" + marker, AnchorFixture.Image, "true"]);
            Thread.Sleep(random.Next(0, 40));
            try
            {
                run.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already done: nothing to kill.
            }

            run.WaitForExit();
        }

        // A child at the gate is a copy of the launcher (its command line, the anchor binary) that
        // never exec'd; give the ones that saw end of file a moment to be gone.
        var deadline = Stopwatch.StartNew();
        List<int> waiting;
        do
        {
            waiting = LaunchersCopies(marker);
            if (waiting.Count == 0)
            {
                break;
            }

            Thread.Sleep(100);
        }
        while (deadline.Elapsed < TimeSpan.FromSeconds(5));

        foreach (var pid in waiting)
        {
            ProcessRunner.Signal(pid, "KILL");
        }

        Assert.True(waiting.Count == 0, $"processes left at the gate: {string.Join(' ', waiting)}");
        _ = anchor.Anchor(["container", "prune", "-f"]);
    }

    /// <summary>Processes still running the anchor binary with <paramref name="marker"/> on their command line, other than ourselves.</summary>
    private List<int> LaunchersCopies(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Contains("M=" + marker, StringComparison.Ordinal) && cmdline.Contains(anchor.Bin, StringComparison.Ordinal)
                    && !File.ReadAllText(Path.Combine(dir, "stat")).Contains(") Z ", StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }

        return found;
    }
}
