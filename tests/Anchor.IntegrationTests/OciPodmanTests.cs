namespace Anchor.IntegrationTests;

/// <summary>
/// Debian's podman (4.3, with conmon) with <c>--runtime …/anchor-runc</c>, on a private root and
/// runroot (vfs storage, cgroupfs, file events, no network), the busybox rootfs imported with
/// <c>podman import</c>: <c>run --rm</c> with its output and exit code, and <c>-d</c> + exec + logs
/// + stop + rm. conmon drives anchor-runc's create, start, state, kill and delete.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class OciPodmanTests(AnchorFixture anchor)
{
    private const string Podman = "/usr/bin/podman";

    /// <summary>
    /// podman gives a root container RLIMIT_NOFILE and RLIMIT_NPROC of 1048576 and its host hard
    /// limit; raising a hard limit needs CAP_SYS_RESOURCE (setrlimit(2)), which a host such as a
    /// sandboxed CI may not grant (runc fails there alike): limits under any host's hard limit.
    /// </summary>
    private static readonly string[] Limits = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"];

    [Fact]
    public void PodmanRun_RuntimeAnchorRunc_RunsDetachesExecsLogsAndStops()
    {
        Assert.True(File.Exists(Podman), "podman is not installed (install.sh installs it)");
        var dir = Path.Combine(anchor.TempDir, "podman-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var link = Path.Combine(dir, "anchor-runc");
        File.CreateSymbolicLink(link, anchor.Bin);
        ProcessResult Pod(params string[] args) => ProcessRunner.Run(Podman, [
            "--root", Path.Combine(dir, "root"), "--runroot", Path.Combine(dir, "run"), "--tmpdir", Path.Combine(dir, "tmp"),
            "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "file", "--runtime", link, .. args], timeout: TimeSpan.FromSeconds(60));
        try
        {
            var import = Pod("import", anchor.BusyboxTar, "localhost/busybox:latest");
            Assert.True(import.ExitCode == 0, import.ToString());

            var run = Pod(["run", "--rm", "--network", "none", .. Limits, "localhost/busybox", "sh", "-c", "echo hi from podman; echo err >&2; cat /proc/1/comm; exit 4"]);
            Assert.True(run.ExitCode == 4, run.ToString());
            Assert.Equal("hi from podman\nsh\n", run.Stdout);
            Assert.Equal("err\n", run.Stderr);

            var name = "pd-" + Guid.NewGuid().ToString("N")[..8];
            var detached = Pod(["run", "-d", "--name", name, "--network", "none", .. Limits, "localhost/busybox", "sh", "-c", "echo logged; trap 'exit 0' TERM; while true; do sleep 0.1; done"]);
            Assert.True(detached.ExitCode == 0, detached.ToString());
                        var id = detached.Out.Trim();
            // podman gives anchor-runc no --root: its state is under the default /run/anchor-runc.
            var state = ProcessRunner.Run(anchor.Bin, ["oci", "state", id]);
            Assert.True(state.ExitCode == 0, state.ToString());
            Assert.Contains("\"status\": \"running\"", state.Stdout);
            Assert.Contains("Up ", Pod("ps", "--filter", "name=" + name, "--format", "{{.Status}}").Stdout);
            var exec = Pod("exec", name, "sh", "-c", "cat /proc/1/comm; exit 3");
            Assert.True(exec.ExitCode == 3, exec.ToString());
            Assert.Equal("sh\n", exec.Stdout);
            Detached.Eventually(() => Pod("logs", name).Stdout == "logged\n", TimeSpan.FromSeconds(10), () => Pod("logs", name).ToString());
            var stop = Pod("stop", name);
            Assert.True(stop.ExitCode == 0, stop.ToString());
            Assert.Contains("Exited (0)", Pod("ps", "-a", "--filter", "name=" + name, "--format", "{{.Status}}").Stdout);
            var rm = Pod("rm", name);
            Assert.True(rm.ExitCode == 0, rm.ToString());
            Assert.Equal("", Pod("ps", "-a", "-q").Out);
        }
        finally
        {
            Pod("rm", "-af");
        }
    }
}
