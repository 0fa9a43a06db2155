using System.Diagnostics;

namespace Anchor.IntegrationTests;

/// <summary>
/// Debian's containerd started on a private socket, root and state (the CRI plugin off), with an
/// image imported from `anchor save`; stopped and removed on dispose. The runc v2 shim it starts
/// runs whatever runtime binary `ctr run --runc-binary` names.
/// </summary>
public sealed class PrivateContainerd : IDisposable
{
    private readonly Process _daemon;

    public PrivateContainerd(AnchorFixture anchor)
    {
        Directory = Path.Combine(anchor.TempDir, "containerd-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        Socket = Path.Combine(Directory, "c.sock");
        var config = Path.Combine(Directory, "config.toml");
        File.WriteAllText(config, $"""
            version = 2
            root = "{Directory}/root"
            state = "{Directory}/state"
            disabled_plugins = ["io.containerd.grpc.v1.cri"]
            [grpc]
              address = "{Socket}"
            [ttrpc]
              address = "{Socket}.ttrpc"
            [debug]
              address = ""
            [metrics]
              address = ""
            """);
        _daemon = ProcessRunner.Start("containerd", ["--config", config]);
        _daemon.StandardInput.Close();
        _daemon.OutputDataReceived += (_, _) => { };
        _daemon.ErrorDataReceived += (_, _) => { };
        _daemon.BeginOutputReadLine();
        _daemon.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Ctr("version").ExitCode != 0)
        {
            if (DateTime.UtcNow > deadline || _daemon.HasExited)
            {
                Dispose();
                throw new InvalidOperationException("containerd did not come up on " + Socket);
            }

            Thread.Sleep(100);
        }

        var archive = Path.Combine(Directory, "busybox.tar");
        var save = anchor.Anchor(["save", "-o", archive, AnchorFixture.Image]);
        Assert.True(save.ExitCode == 0, save.ToString());
        var import = Ctr("images", "import", archive);
        Assert.True(import.ExitCode == 0, import.ToString());
    }

    public const string Image = "docker.io/library/busybox:latest";

    public string Directory { get; }

    public string Socket { get; }

    public ProcessResult Ctr(params string[] args) =>
        ProcessRunner.Run("ctr", ["-a", Socket, .. args], timeout: TimeSpan.FromSeconds(60));

    public void Dispose()
    {
        if (!_daemon.HasExited)
        {
            _daemon.Kill();
            _daemon.WaitForExit(10_000);
        }

        _daemon.Dispose();
        // Shims outlive containerd by design; every test removes its own tasks, so none is left.
        foreach (var mount in File.ReadAllLines("/proc/self/mounts").Select(l => l.Split(' ')[1]).Where(m => m.StartsWith(Directory, StringComparison.Ordinal)).Reverse())
        {
            ProcessRunner.Run("umount", ["-l", mount]);
        }

        System.IO.Directory.Delete(Directory, recursive: true);

        // containerd's "default" namespace and dockerd's "docker" parent groups are made on demand
        // and never removed (runc leaves them too): remove them if empty, which fails harmlessly
        // while another daemon's containers are in them.
        foreach (var parent in new[] { "default", "docker" })
        {
            foreach (var dir in System.IO.Directory.EnumerateDirectories("/sys/fs/cgroup").Select(h => Path.Combine(h, parent)).Append("/sys/fs/cgroup/" + parent))
            {
                try
                {
                    if (System.IO.Directory.Exists(dir))
                    {
                        System.IO.Directory.Delete(dir);
                    }
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
