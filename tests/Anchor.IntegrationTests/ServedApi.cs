using System.Diagnostics;
using System.Net.Http;
using System.Net.Sockets;

namespace Anchor.IntegrationTests;

/// <summary>
/// A running <c>anchor serve</c> on a private socket over the fixture's store, with the real docker
/// CLI (Debian's docker.io client: /usr/bin/docker, or the copy install.sh makes) and a raw HTTP client pointed at it. Disposing stops
/// it with SIGTERM, as a service manager would.
/// </summary>
public sealed class ServedApi : IDisposable
{
    /// <summary>Debian's docker client: the package's, or the one install.sh takes out of it (no daemon installed).</summary>
    public static readonly string DockerCli = File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : "/usr/local/lib/anchor/docker";

    private readonly string _dockerConfig;

    public ServedApi(AnchorFixture anchor, params string[] extra)
    {
        Socket = Path.Combine(anchor.TempDir, $"api-{Guid.NewGuid().ToString("N")[..6]}.sock");
        _dockerConfig = Path.Combine(anchor.TempDir, "docker-config");
        Directory.CreateDirectory(_dockerConfig);
        Server = ProcessRunner.Start(anchor.Bin, [.. anchor.StoreArgs, "serve", "-H", "unix://" + Socket, .. extra]);
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(Socket))
        {
            if (Server.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new Xunit.Sdk.XunitException($"anchor serve did not make {Socket}: {Server.StandardError.ReadToEnd()}");
            }

            Thread.Sleep(20);
        }

        Http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = new Uri("http://docker"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Socket { get; }

    public Process Server { get; }

    public HttpClient Http { get; }

    /// <summary>The docker CLI against this server, with a config directory of its own (no user's contexts).</summary>
    public ProcessResult Docker(params string[] args) => DockerWithInput(null, args);

    public ProcessResult DockerWithInput(string? stdin, params string[] args) =>
        ProcessRunner.Run(DockerCli, ["-H", "unix://" + Socket, .. args], stdin, timeout: TimeSpan.FromSeconds(60),
            env: new Dictionary<string, string?> { ["DOCKER_CONFIG"] = _dockerConfig, ["DOCKER_HOST"] = null });

    public string DockerOk(params string[] args)
    {
        var result = Docker(args);
        Assert.True(result.ExitCode == 0, $"docker {string.Join(' ', args)}: {result}");
        return result.Out;
    }

    /// <summary>SIGTERM, then the exit code (the server finishes in-flight requests first).</summary>
    public int Stop()
    {
        if (!Server.HasExited)
        {
            ProcessRunner.Signal(Server.Id, "TERM");
            if (!Server.WaitForExit(20_000))
            {
                Server.Kill();
            }
        }

        Server.WaitForExit();
        return Server.ExitCode;
    }

    public void Dispose()
    {
        Stop();
        Http.Dispose();
        Server.Dispose();
    }
}
