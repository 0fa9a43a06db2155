using Anchor.Engine;
using Anchor.Engine.Filters;
using Anchor.Engine.Images;

namespace Anchor.Api;

/// <summary>
/// The image endpoints that move images in and out (moby api/server/router/image): pull and import
/// (POST /images/create), push, save (GET /images/{name}/get, /images/get), load, prune, history,
/// and POST /auth. Each calls the engine code of the CLI verb of the same name; progress goes out
/// as docker's JSON message stream (<see cref="JsonMessageStream"/>).
/// </summary>
public sealed class ImageTransferEndpoints(AnchorEngine engine)
{
    /// <summary>
    /// POST /images/create: ?fromImage=NAME&amp;tag=TAG[&amp;platform=] pulls as `anchor pull` does;
    /// ?fromSrc=-[&amp;repo=&amp;tag=&amp;message=&amp;changes=] imports the body as `anchor import -` does.
    /// </summary>
    public Task Create(HttpContext context)
    {
        var fromImage = ApiQuery.String(context, "fromImage");
        var fromSrc = ApiQuery.String(context, "fromSrc");
        var tag = ApiQuery.String(context, "tag");
        var messages = new JsonMessageStream(context);
        if (!string.IsNullOrEmpty(fromImage))
        {
            // docker's client sends the tag apart (latest when the user gave none); a digest is "sha256:…".
            var name = string.IsNullOrEmpty(tag) ? fromImage : fromImage + (tag.Contains(':', StringComparison.Ordinal) ? "@" : ":") + tag;
            var credentials = RegistryAuthHeader.Read(context);
            messages.Run(() => new RegistryService(engine.Images).Pull(
                name, NullIfEmpty(ApiQuery.String(context, "platform")), TextWriter.Null, printReference: false,
                view: new JsonPullView(messages), credentials: credentials));
            return Task.CompletedTask;
        }

        if (fromSrc != "-")
        {
            // A URL source would make the server fetch from anywhere it can reach; not served.
            throw string.IsNullOrEmpty(fromSrc)
                ? new BadRequestException("fromImage or fromSrc is required")
                : new EngineException($"importing from a URL is not supported by anchor serve: {fromSrc}") { Kind = EngineErrorKind.InvalidParameter };
        }

        var repo = NullIfEmpty(ApiQuery.String(context, "repo"));
        var reference = repo is null ? null : string.IsNullOrEmpty(tag) ? repo : $"{repo}:{tag}";
        var changes = context.Request.Query["changes"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).ToList();
        var id = engine.ImageService.Import(LargeRequestBody.Of(context), reference, changes, NullIfEmpty(ApiQuery.String(context, "message")));
        messages.Status(id);
        return Task.CompletedTask;
    }

    /// <summary>POST /images/{name}/push?tag=: `anchor push`, credentials from X-Registry-Auth.</summary>
    public void Push(HttpContext context, string name)
    {
        var tag = ApiQuery.String(context, "tag");
        var full = string.IsNullOrEmpty(tag) ? name : $"{name}:{tag}";
        var credentials = RegistryAuthHeader.Read(context);
        var messages = new JsonMessageStream(context);
        messages.Run(() =>
        {
            var pushed = new RegistryService(engine.Images).Push(full, Anchor.Images.Registry.PushOptions.Default, TextWriter.Null, new JsonPullView(messages), credentials);
            // moby's push ends with the pushed manifest as aux data (PushResult), which clients read.
            messages.Aux(w =>
            {
                w.WriteString("Tag", string.IsNullOrEmpty(tag) ? "latest" : tag);
                w.WriteString("Digest", pushed.Digest.ToString());
                w.WriteNumber("Size", pushed.Size);
            });
        });
    }

    /// <summary>GET /images/{name}/get, GET /images/get?names=A&amp;names=B: `anchor save`'s docker-archive.</summary>
    public void Save(HttpContext context, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            throw new BadRequestException("no image names given");
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-tar";
        engine.ImageService.Save(names, context.Response.Body, oci: false);
    }

    /// <summary>GET /images/get?names=…</summary>
    public Task SaveMany(HttpContext context)
    {
        Save(context, [.. context.Request.Query["names"].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!)]);
        return Task.CompletedTask;
    }

    /// <summary>
    /// POST /images/load?quiet=: `anchor load` of the body; the lines ("Loaded image: NAME") as
    /// {"stream"} messages, which docker's daemon sends whether quiet or not (image/tarexport/load.go).
    /// </summary>
    public Task Load(HttpContext context)
    {
        var lines = engine.ImageService.Load(LargeRequestBody.Of(context));
        var messages = new JsonMessageStream(context);
        foreach (var line in lines)
        {
            messages.Stream(line + "\n");
        }

        if (lines.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// POST /images/prune?filters=: `anchor image prune`; dangling=false is -a, until and label
    /// (label!) as prune's --filter. Answers swagger's ImagePruneResponse.
    /// </summary>
    public Task Prune(HttpContext context)
    {
        var filters = ApiQuery.Filters(context);
        var all = filters.Any(f => f is "dangling=false" or "dangling=0");
        var rest = filters.Where(f => !f.StartsWith("dangling=", StringComparison.Ordinal)).ToList();
        var (lines, reclaimed) = engine.ImageService.Prune(all, PruneFilter.Parse(rest, DateTimeOffset.UtcNow));
        ApiJson.Ok(context, w =>
        {
            w.WriteStartObject();
            if (lines.Count == 0)
            {
                w.WriteNull("ImagesDeleted");
            }
            else
            {
                w.WriteStartArray("ImagesDeleted");
                foreach (var line in lines)
                {
                    // The engine's lines are the CLI's "untagged: REF" and "deleted: ID".
                    var colon = line.IndexOf(": ", StringComparison.Ordinal);
                    w.WriteStartObject();
                    w.WriteString(line.StartsWith("untagged", StringComparison.Ordinal) ? "Untagged" : "Deleted", line[(colon + 2)..]);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteNumber("SpaceReclaimed", reclaimed);
            w.WriteEndObject();
        });
        return Task.CompletedTask;
    }

    /// <summary>GET /images/{name}/history: swagger's HistoryResponseItem list, newest first, "&lt;missing&gt;" where docker has no ID.</summary>
    public void History(HttpContext context, string name)
    {
        var rows = ImageHistory.Of(engine.Images, name);
        ApiJson.Ok(context, w =>
        {
            w.WriteStartArray();
            foreach (var row in rows)
            {
                w.WriteStartObject();
                w.WriteString("Id", row.Image ?? "<missing>");
                w.WriteNumber("Created", row.Created?.ToUnixTimeSeconds() ?? 0);
                w.WriteString("CreatedBy", row.CreatedBy);
                // The image and each ancestor that is an image here carry their tags; "<missing>" rows none.
                ApiJson.WriteStrings(w, "Tags", row.Image is null ? [] : engine.Images.Find(row.Image)?.RepoTags ?? []);
                w.WriteNumber("Size", row.Size);
                w.WriteString("Comment", row.Comment);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>
    /// POST /auth: `anchor login`'s check against the registry, nothing stored (the client keeps
    /// the credentials); a refusal is 401 with the registry's reason, as moby's errdefs.Unauthorized.
    /// </summary>
    public static async Task Auth(HttpContext context)
    {
        using var body = await ApiBody.Read(context);
        var server = NullIfEmpty(RegistryAuthHeader.Text(body.RootElement, "serveraddress"));
        var user = RegistryAuthHeader.Text(body.RootElement, "username") ?? "";
        var password = RegistryAuthHeader.Text(body.RootElement, "password") ?? "";
        try
        {
            RegistryService.CheckLogin(server, user, password);
        }
        catch (EngineException e)
        {
            ApiJson.Error(context, StatusCodes.Status401Unauthorized, e.Message);
            return;
        }

        ApiJson.Ok(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("Status", "Login Succeeded");
            w.WriteString("IdentityToken", "");
            w.WriteEndObject();
        });
    }

    /// <summary>GET /images/search: Anchor has no index search (registries' v1 search API is Docker Hub's alone).</summary>
    public static Task Search(HttpContext context)
    {
        ApiJson.Error(context, StatusCodes.Status501NotImplemented, "image search is not supported by anchor serve");
        return Task.CompletedTask;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
