using System.Diagnostics;
using System.Text;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Images;

namespace Anchor.TestcontainersTests;

/// <summary>
/// Testcontainers for .NET (with Ryuk, its reaper container, off: there is no image for it offline)
/// drives `anchor serve`: an existing image, a container started until a log line appears, an exec,
/// a file copied in and read back through the archive endpoints, and the removal on dispose.
/// </summary>
public sealed class TestcontainersTests : IDisposable
{
    private readonly string _bin = Environment.GetEnvironmentVariable("ANCHOR_BIN") ?? "anchor";
    private readonly string _dir = Directory.CreateTempSubdirectory("anchor-tc-").FullName;
    private readonly Process _server;

    public TestcontainersTests()
    {
        // Read once, when Testcontainers' settings are first built: set before any builder runs.
        Environment.SetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED", "true");
        var tar = Environment.GetEnvironmentVariable("ANCHOR_BUSYBOX_TAR") ?? Path.GetFullPath("out/busybox-rootfs.tar");
        var import = Run(_bin, [.. Store, "import", tar, "busybox"]);
        Assert.True(import.ExitCode == 0, import.Output);
        _server = Process.Start(new ProcessStartInfo(_bin, [.. Store, "serve", "-H", "unix://" + Socket]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var waited = Stopwatch.StartNew();
        while (!File.Exists(Socket))
        {
            Assert.False(_server.HasExited || waited.Elapsed > TimeSpan.FromSeconds(20), "anchor serve did not make its socket");
            Thread.Sleep(20);
        }
    }

    private string Socket => Path.Combine(_dir, "api.sock");

    private string[] Store => ["--root", Path.Combine(_dir, "root"), "--runroot", Path.Combine(_dir, "run")];

    [Fact]
    public async Task Testcontainers_StartsExecsCopiesAndDisposesABusyboxContainer()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var container = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint("unix://" + Socket)
            .WithImagePullPolicy(PullPolicy.Missing)
            .WithNetwork("none")
            .WithCommand("sh", "-c", "echo container is ready; exec sleep 300")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("container is ready"))
            .Build();
        string id;
        await using (container)
        {
            await container.StartAsync(timeout.Token);
            id = container.Id;
            Assert.Equal(64, id.Length);

            var exec = await container.ExecAsync(["sh", "-c", "echo out; echo err >&2; exit 3"], timeout.Token);
            Assert.Equal(3, exec.ExitCode);
            Assert.Equal("out\n", exec.Stdout);
            Assert.Equal("err\n", exec.Stderr);

            await container.CopyAsync(Encoding.UTF8.GetBytes("copied in\n"), "/tmp/in.txt", ct: timeout.Token);
            var cat = await container.ExecAsync(["cat", "/tmp/in.txt"], timeout.Token);
            Assert.Equal("copied in\n", cat.Stdout);
            Assert.Equal("copied in\n", Encoding.UTF8.GetString(await container.ReadFileAsync("/tmp/in.txt", timeout.Token)));
        }

        // Disposing removed it.
        var ps = Run(_bin, [.. Store, "ps", "-aq", "--no-trunc"]);
        Assert.DoesNotContain(id, ps.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        var left = Run(_bin, [.. Store, "ps", "-aq"]).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (left.Length > 0)
        {
            Run(_bin, [.. Store, "rm", "-f", .. left]);
        }

        if (!_server.HasExited)
        {
            _server.Kill();
            _server.WaitForExit();
        }

        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static (int ExitCode, string Output) Run(string file, string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
