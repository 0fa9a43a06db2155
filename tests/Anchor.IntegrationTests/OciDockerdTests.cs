using System.Diagnostics;

namespace Anchor.IntegrationTests;

/// <summary>
/// Debian's dockerd (20.10) with `--add-runtime anchor=…/anchor-runc`, on a private socket and data
/// root, over the test's private containerd: `docker run --runtime anchor` for --rm with an exit
/// code, and -d + exec + logs + stop. Its containers get dockerd's libnetwork-setkey prestart hook,
/// which anchor-runc runs.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class OciDockerdTests(AnchorFixture anchor)
{
    /// <summary>Debian's docker client, as the API tests find it.</summary>
    private static readonly string Client = ServedApi.DockerCli;

    /// <summary>Debian's dockerd: the package's, or the one install.sh takes out of it (no docker service installed).</summary>
    private static readonly string Dockerd = File.Exists("/usr/sbin/dockerd") ? "/usr/sbin/dockerd" : "/usr/local/lib/anchor/dockerd";

    [Fact]
    public void DockerRun_RuntimeAnchor_RunsDetachesExecsAndStops()
    {
        using var containerd = new PrivateContainerd(anchor);
        var link = Path.Combine(containerd.Directory, "anchor-runc");
        File.CreateSymbolicLink(link, anchor.Bin);
        var socket = Path.Combine(containerd.Directory, "docker.sock");
        using var dockerd = ProcessRunner.Start(Dockerd, ["--host", "unix://" + socket, "--data-root", Path.Combine(containerd.Directory, "docker"),
            "--exec-root", Path.Combine(containerd.Directory, "docker-exec"), "--pidfile", Path.Combine(containerd.Directory, "docker.pid"),
            "--containerd", containerd.Socket, "--iptables=false", "--ip-masq=false", "--bridge=none", "--add-runtime", "anchor=" + link]);
        dockerd.StandardInput.Close();
        dockerd.OutputDataReceived += (_, _) => { };
        dockerd.ErrorDataReceived += (_, _) => { };
        dockerd.BeginOutputReadLine();
        dockerd.BeginErrorReadLine();
        ProcessResult Docker(params string[] args) => ProcessRunner.Run(Client, ["-H", "unix://" + socket, .. args], timeout: TimeSpan.FromSeconds(60));
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (Docker("version").ExitCode != 0)
            {
                Assert.True(DateTime.UtcNow < deadline && !dockerd.HasExited, "dockerd did not come up");
                Thread.Sleep(200);
            }

            var load = Docker("load", "-i", Path.Combine(containerd.Directory, "busybox.tar"));
            Assert.True(load.ExitCode == 0, load.ToString());

            var run = Docker("run", "--rm", "--runtime", "anchor", AnchorFixture.Image, "sh", "-c", "echo hi from anchor-runc; exit 4");
            Assert.True(run.ExitCode == 4, run.ToString());
            Assert.Equal("hi from anchor-runc\n", run.Stdout);

            var name = "dk-" + Guid.NewGuid().ToString("N")[..8];
            var detached = Docker("run", "-d", "--name", name, "--runtime", "anchor", AnchorFixture.Image, "sh", "-c", "echo logged; trap 'exit 0' TERM; while true; do sleep 0.2; done");
            Assert.True(detached.ExitCode == 0, detached.ToString());
            Assert.Contains("anchor", Docker("inspect", "--format", "{{.HostConfig.Runtime}}", name).Stdout);
            var exec = Docker("exec", name, "sh", "-c", "cat /proc/1/comm; exit 3");
            Assert.True(exec.ExitCode == 3, exec.ToString());
            Assert.Equal("sh\n", exec.Stdout);
            Assert.Equal("logged\n", Docker("logs", name).Stdout);
            Assert.Equal(0, Docker("stop", name).ExitCode);
            Assert.Contains("Exited (0)", Docker("ps", "-a", "--filter", "name=" + name, "--format", "{{.Status}}").Stdout);
            Assert.Equal(0, Docker("rm", name).ExitCode);
        }
        finally
        {
            if (!dockerd.HasExited)
            {
                dockerd.Kill();
                dockerd.WaitForExit(10_000);
            }
        }
    }
}
