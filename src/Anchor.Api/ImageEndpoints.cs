using Anchor.Engine;

namespace Anchor.Api;

/// <summary>
/// GET /images/json, GET /images/{name}/json, DELETE /images/{name}, POST /images/{name}/tag; the
/// other actions under /images/{name}/ (history, get, push) are <see cref="ImageTransferEndpoints"/>'.
/// </summary>
public sealed class ImageEndpoints(AnchorEngine engine)
{
    private readonly ImageTransferEndpoints _transfer = new(engine);

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

    /// <summary>GET /images/{name}/ACTION: json (inspect), history, get (save).</summary>
    public Task Get(HttpContext context)
    {
        var path = (string)context.Request.RouteValues["name"]!;
        if (path.EndsWith("/history", StringComparison.Ordinal))
        {
            _transfer.History(context, NameBefore(context, "/history")!);
        }
        else if (path.EndsWith("/get", StringComparison.Ordinal))
        {
            _transfer.Save(context, [NameBefore(context, "/get")!]);
        }
        else
        {
            Inspect(context);
        }

        return Task.CompletedTask;
    }

    /// <summary>GET /images/{name}/json: `anchor image inspect`'s document.</summary>
    private void Inspect(HttpContext context)
    {
        if (NameBefore(context, "/json") is not { } name)
        {
            return;
        }

        // A missing image is moby's 404 (clients tell it from a failure: docker-py's ImageNotFound, the CLI's "Error: No such image").
        var image = engine.Images.Find(name) ?? throw new EngineException($"No such image: {name}") { Kind = EngineErrorKind.NotFound };
        ApiJson.Ok(context, w => Anchor.Engine.Images.ImageService.WriteInspect(w, image));
    }

    /// <summary>
    /// DELETE /images/{name}?force=: `anchor rmi`'s removal, answered as swagger's
    /// ImageDeleteResponseItem list ({"Untagged": ref} and {"Deleted": id}, in order).
    /// </summary>
    public Task Remove(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        var lines = engine.ImageService.Remove(name, ApiQuery.Bool(context, "force")).ToList();
        ApiJson.Ok(context, w =>
        {
            w.WriteStartArray();
            foreach (var line in lines)
            {
                // The engine's lines are docker's "Untagged: REF" and "Deleted: ID".
                var colon = line.IndexOf(": ", StringComparison.Ordinal);
                w.WriteStartObject();
                w.WriteString(line[..colon], line[(colon + 2)..]);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
        return Task.CompletedTask;
    }

    /// <summary>POST /images/{name}/tag?repo=&amp;tag=: 201, as `anchor tag SOURCE REPO[:TAG]`; POST /images/{name}/push.</summary>
    public Task Post(HttpContext context)
    {
        var path = (string)context.Request.RouteValues["name"]!;
        if (path.EndsWith("/push", StringComparison.Ordinal) && NameBefore(context, "/push") is { } pushed)
        {
            _transfer.Push(context, pushed);
            return Task.CompletedTask;
        }

        if (NameBefore(context, "/tag") is not { } source)
        {
            return Task.CompletedTask;
        }

        var tag = ApiQuery.String(context, "tag");
        var target = (ApiQuery.String(context, "repo") ?? "") + (string.IsNullOrEmpty(tag) ? "" : ":" + tag);
        var images = engine.ImageService;
        images.Tag(source, target);
        images.ReportTag(source, target);
        context.Response.StatusCode = StatusCodes.Status201Created;
        return Task.CompletedTask;
    }

    /// <summary>
    /// The image name in /images/NAME/ACTION (names hold slashes, so the route takes the rest of
    /// the path), or null after answering docker's 404 for a path that does not end in the action.
    /// </summary>
    private static string? NameBefore(HttpContext context, string action)
    {
        var path = (string)context.Request.RouteValues["name"]!;
        if (path.EndsWith(action, StringComparison.Ordinal) && path.Length > action.Length)
        {
            return path[..^action.Length];
        }

        ApiJson.Error(context, StatusCodes.Status404NotFound, "page not found");
        return null;
    }
}
