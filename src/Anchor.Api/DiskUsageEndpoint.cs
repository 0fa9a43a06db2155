using Anchor.Engine;
using Anchor.Engine.Containers;
using Anchor.Engine.Networks;
using Anchor.Engine.Usage;
using Anchor.Engine.Volumes;

namespace Anchor.Api;

/// <summary>
/// GET /system/df: `anchor system df`'s measurement (<see cref="DiskUsage"/>) as swagger's
/// SystemDataUsageResponse: LayersSize, image and container summaries with their sizes, volumes
/// with UsageData, and no build cache.
/// </summary>
public sealed class DiskUsageEndpoint(AnchorEngine engine)
{
    public Task DiskUsage(HttpContext context)
    {
        var usage = Anchor.Engine.Usage.DiskUsage.Measure(engine);
        var lookups = ContainerFilterLookups.Of(engine.Images, engine.Containers);
        var endpoints = new NetworkStore(engine.Paths).Read().Endpoints;
        var imageSizes = usage.Images.ToDictionary(i => i.Image.Id.ToString(), i => i.Size, StringComparer.Ordinal);
        var now = DateTimeOffset.UtcNow;
        ApiJson.Ok(context, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("LayersSize", usage.ImagesSize);
            w.WriteStartArray("Images");
            foreach (var i in usage.Images)
            {
                w.WriteStartObject();
                w.WriteString("Id", i.Image.Id.ToString());
                w.WriteString("ParentId", "");
                ApiJson.WriteStrings(w, "RepoTags", i.Image.RepoTags);
                ApiJson.WriteStrings(w, "RepoDigests", i.Image.RepoDigests);
                w.WriteNumber("Created", (i.Image.Created ?? DateTimeOffset.UnixEpoch).ToUnixTimeSeconds());
                w.WriteNumber("Size", i.Size);
                w.WriteNumber("SharedSize", i.SharedSize);
                w.WriteNumber("VirtualSize", i.Size);
                ApiJson.WriteMap(w, "Labels", i.Image.Config.Config?.Labels);
                w.WriteNumber("Containers", i.Containers);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("Containers");
            foreach (var c in usage.Containers)
            {
                var size = new ContainerSize(c.SizeRw, imageSizes.GetValueOrDefault(c.Record.ImageId) + c.SizeRw);
                ContainerEndpoints.WriteSummary(w, c.Record, now, lookups.Labels(c.Record), endpoints, size);
            }

            w.WriteEndArray();
            w.WriteStartArray("Volumes");
            foreach (var v in usage.Volumes)
            {
                VolumeInspectWriter.Write(w, v.Volume, (v.Size, v.Links));
            }

            w.WriteEndArray();
            w.WriteStartArray("BuildCache");
            w.WriteEndArray();
            w.WriteEndObject();
        });
        return Task.CompletedTask;
    }
}
