using System.Text.Json;
using Anchor.Engine;
using Anchor.Engine.Volumes;

namespace Anchor.Api;

/// <summary>POST /volumes/create, GET /volumes/{name}, DELETE /volumes/{name}?force=: `anchor volume create|inspect|rm`.</summary>
public sealed class VolumeEndpoints(AnchorEngine engine)
{
    private static string Name(HttpContext context) => (string)context.Request.RouteValues["name"]!;

    /// <summary>201 and the new volume (swagger Volume); only the local driver exists.</summary>
    public async Task Create(HttpContext context)
    {
        using var body = await ApiBody.Read(context);
        var root = body.RootElement;
        var name = CreateBody.Str(root, "Name");
        name = string.IsNullOrEmpty(name) ? null : name;
        VolumeService.RequireLocalDriver(CreateBody.Str(root, "Driver"), name);
        var labels = CreateBody.Map(root, "Labels");
        var volume = engine.Volumes.Create(name, labels is { Count: > 0 } ? labels : null);
        ApiJson.Write(context, StatusCodes.Status201Created, w => VolumeInspectWriter.Write(w, volume));
    }

    public Task Inspect(HttpContext context)
    {
        var volume = engine.Volumes.Get(Name(context));
        ApiJson.Ok(context, w => VolumeInspectWriter.Write(w, volume));
        return Task.CompletedTask;
    }

    public Task Remove(HttpContext context) =>
        ContainerVerbEndpoints.NoContent(context, () => engine.Volumes.Remove(Name(context), ApiQuery.Bool(context, "force")));
}
