using Anchor.Engine;

namespace Anchor.Api;

/// <summary>GET /containers/{id}/export and /containers/{id}/changes: `anchor export` and `anchor diff` as the API serves them.</summary>
public sealed class ContainerFilesEndpoints(AnchorEngine engine)
{
    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    /// <summary>200 application/x-tar: the merged root filesystem (moby getContainersExport).</summary>
    public Task Export(HttpContext context)
    {
        var id = Id(context);
        return Task.Run(() =>
        {
            // The exporter finds the container before it writes: a missing one is still a JSON error.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/x-tar";
            engine.Exporter.Export(id, context.Response.Body);
        }, context.RequestAborted);
    }

    /// <summary>
    /// 200 [{"Path", "Kind"}]: Kind 0 modified, 1 added, 2 deleted (moby pkg/archive ChangeType),
    /// the engine's diff in its order.
    /// </summary>
    public Task Changes(HttpContext context)
    {
        var changes = engine.Changes.Diff(Id(context));
        ApiJson.Ok(context, w =>
        {
            w.WriteStartArray();
            foreach (var change in changes)
            {
                w.WriteStartObject();
                w.WriteString("Path", change.Path);
                w.WriteNumber("Kind", change.Kind switch { 'A' => 1, 'D' => 2, _ => 0 });
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
        return Task.CompletedTask;
    }
}
