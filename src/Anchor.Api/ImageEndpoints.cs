using Anchor.Engine;

namespace Anchor.Api;

/// <summary>GET /images/json and GET /images/{name}/json.</summary>
public sealed class ImageEndpoints(AnchorEngine engine)
{
    /// <summary>
    /// docker's image summaries (swagger ImageSummary): one per image with all its tags and
    /// digests, newest first; images with no tag too. Filters are the engine's (images --filter).
    /// </summary>
    public Task List(HttpContext context)
    {
        var filters = ApiQuery.Filters(context);
        var rows = engine.ImageService.List(null, filters);
        var images = engine.Images.List().ToDictionary(i => i.Id.ToString(), StringComparer.Ordinal);
        var listed = rows.GroupBy(r => r.Id.ToString(), StringComparer.Ordinal).ToList();
        var containers = engine.Containers.List();
        ApiJson.Ok(context, w =>
        {
            w.WriteStartArray();
            foreach (var group in listed)
            {
                var first = group.First();
                images.TryGetValue(group.Key, out var image);
                w.WriteStartObject();
                w.WriteString("Id", group.Key);
                w.WriteString("ParentId", "");
                w.WriteStartArray("RepoTags");
                foreach (var row in group.Where(r => r.Tag != "<none>"))
                {
                    w.WriteStringValue($"{row.Repository}:{row.Tag}");
                }

                w.WriteEndArray();
                w.WriteStartArray("RepoDigests");
                foreach (var digest in group.Where(r => r.Digest != "<none>").Select(r => $"{r.Repository}@{r.Digest}").Distinct(StringComparer.Ordinal))
                {
                    w.WriteStringValue(digest);
                }

                w.WriteEndArray();
                w.WriteNumber("Created", (first.Created ?? DateTimeOffset.UnixEpoch).ToUnixTimeSeconds());
                w.WriteNumber("Size", first.Size);
                w.WriteNumber("SharedSize", -1);
                w.WriteNumber("VirtualSize", first.Size);
                ApiJson.WriteMap(w, "Labels", image?.Config.Config?.Labels);
                w.WriteNumber("Containers", containers.Count(c => c.ImageId == group.Key));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
        return Task.CompletedTask;
    }

    /// <summary>GET /images/{name}/json: `anchor image inspect`'s document.</summary>
    public Task Inspect(HttpContext context)
    {
        var path = (string)context.Request.RouteValues["name"]!;
        const string Suffix = "/json";
        if (!path.EndsWith(Suffix, StringComparison.Ordinal) || path.Length == Suffix.Length)
        {
            ApiJson.Error(context, StatusCodes.Status404NotFound, "page not found");
            return Task.CompletedTask;
        }

        var image = engine.ImageService.Get(path[..^Suffix.Length]);
        ApiJson.Ok(context, w => Anchor.Engine.Images.ImageService.WriteInspect(w, image));
        return Task.CompletedTask;
    }
}
