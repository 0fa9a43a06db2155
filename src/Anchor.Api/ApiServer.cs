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
        using var socket = ApiSocket.Create(options.SocketPath, gid);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The engine's verbs are synchronous (wait, logs): they write to the response as they go.
            kestrel.AllowSynchronousIO = true;
            kestrel.ListenHandle((ulong)socket.Listener.SafeHandle.DangerousGetHandle(), listen => listen.Use(HalfCloseTransport.Middleware));
        });
        var app = builder.Build();
        app.Use(ApiPipeline.Create(options.Debug ? Console.Error : null));
        app.UseRouting();
        ApiRoutes.Map(app, engine);
        app.Lifetime.ApplicationStarted.Register(() => Console.Error.WriteLine($"API listening on {socket.Path}"));
        app.Run();
        return 0;
    }
}
