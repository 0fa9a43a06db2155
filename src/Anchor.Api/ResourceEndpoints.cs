using Anchor.Engine;

namespace Anchor.Api;

/// <summary>GET /networks and GET /volumes.</summary>
public sealed class ResourceEndpoints(AnchorEngine engine)
{
    /// <summary>Every network, each as `anchor network inspect` shows it (swagger Network).</summary>
    public Task Networks(HttpContext context)
    {
        var service = Anchor.Engine.Networks.NetworkService.For(engine.Paths, engine.Containers);
        var filters = Anchor.Engine.Networks.NetworkFilter.Parse(ApiQuery.Filters(context));
        var documents = service.List().Where(filters.Matches)
            .Select(n => Anchor.Engine.Inspect.NetworkInspectWriter.ToJson(n, service.Members(n.Id))).ToList();
        ApiJson.Ok(context, w =>
        {
            w.WriteStartArray();
            foreach (var json in documents)
            {
                w.WriteRawValue(json);
            }

            w.WriteEndArray();
        });
        return Task.CompletedTask;
    }

    /// <summary>{"Volumes": [...], "Warnings": []} (swagger VolumeListResponse).</summary>
    public Task Volumes(HttpContext context)
    {
        var volumes = engine.Volumes.List(ApiQuery.Filters(context));
        ApiJson.Ok(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("Volumes");
            foreach (var v in volumes)
            {
                Anchor.Engine.Volumes.VolumeInspectWriter.Write(w, v);
            }

            w.WriteEndArray();
            w.WriteStartArray("Warnings");
            w.WriteEndArray();
            w.WriteEndObject();
        });
        return Task.CompletedTask;
    }
}
