using Anchor.Engine;

namespace Anchor.Api;

/// <summary>
/// Kestrel on the API socket: one pipeline (version prefix, docker's headers, the request log,
/// errors as docker's JSON), the routes of <see cref="ApiRoutes"/>, and a graceful stop on
/// SIGTERM/SIGINT (the host's default: in-flight requests finish, then the socket file goes).
/// </summary>
public static class ApiServer
{
    public static int Run(ServeOptions options)
    {
        var engine = new AnchorEngine(options.Paths);
        var gid = GroupLookup.Resolve(options.Group ?? ServeOptions.DefaultGroup, options.Group is not null, Console.Error);
        using var socket = options.SocketPath is null ? null : ApiSocket.Create(options.SocketPath, gid);
        foreach (var endpoint in options.TcpEndpoints)
        {
            // dockerd's warning for a tcp:// host without TLS: the API is root on this machine.
            Console.Error.WriteLine($"WARNING: Binding to IP address without --tlsverify is insecure and gives root access on this machine to everyone who has access to your network. host=\"tcp://{endpoint}\"");
        }

        // The engine's verbs block a pool thread each while they run (attach and exec relays,
        // wait, logs -f, pulls). With the default minimum (one thread per core) a request that
        // comes when those hold every thread waits for the pool's starvation injection, about
        // 0.5 s per thread: the docker client's resize right after `exec -it` reached the exec
        // after its command had already read a 0x0 window (ApiContainerFilesTests). Threads up
        // to this count start at once; each costs only its stack while it exists.
        ThreadPool.GetMinThreads(out var workers, out var completion);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), completion);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The engine's verbs are synchronous (wait, logs): they write to the response as they go.
            kestrel.AllowSynchronousIO = true;
            if (socket is not null)
            {
                kestrel.ListenHandle((ulong)socket.Listener.SafeHandle.DangerousGetHandle(), listen => listen.Use(HalfCloseTransport.Middleware));
            }

            foreach (var endpoint in options.TcpEndpoints)
            {
                kestrel.Listen(endpoint, listen => listen.Use(HalfCloseTransport.Middleware));
            }
        });
        var app = builder.Build();
        app.Use(ApiPipeline.Create(options.Debug ? Console.Error : null));
        app.UseRouting();
        ApiRoutes.Map(app, engine);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var address in (socket is null ? [] : new[] { socket.Path }).Concat(options.TcpEndpoints.Select(e => "tcp://" + e)))
            {
                Console.Error.WriteLine($"API listening on {address}");
            }
        });
        app.Run();
        return 0;
    }
}
