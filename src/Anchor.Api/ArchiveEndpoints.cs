using System.Text.Json;
using Anchor.Engine;
using Anchor.Engine.Copy;

namespace Anchor.Api;

/// <summary>
/// HEAD, GET and PUT /containers/{id}/archive?path=P (moby api/server/router/container/copy.go):
/// the path's stat in the X-Docker-Container-Path-Stat header, its tar, and a tar extracted into
/// a directory, by the engine's <see cref="ContainerArchive"/> (what `anchor cp` copies with).
/// </summary>
public sealed class ArchiveEndpoints(AnchorEngine engine)
{
    /// <summary>Base64 of {"name","size","mode","mtime","linkTarget"} (moby setContainerPathStatHeader).</summary>
    public const string StatHeader = "X-Docker-Container-Path-Stat";

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    /// <summary>moby httputils.ArchiveFormValues: an empty path is a bad parameter.</summary>
    private static string PathOf(HttpContext context) =>
        ApiQuery.String(context, "path") is { Length: > 0 } path ? path : throw new BadRequestException("bad parameter: path cannot be empty");

    public Task Head(HttpContext context)
    {
        var stat = engine.Archive.Stat(Id(context), PathOf(context));
        SetStat(context, stat);
        context.Response.StatusCode = StatusCodes.Status200OK;
        return Task.CompletedTask;
    }

    public Task Get(HttpContext context)
    {
        var id = Id(context);
        var path = PathOf(context);
        return Task.Run(() => engine.Archive.Get(id, path, stat =>
        {
            SetStat(context, stat);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/x-tar";
            return context.Response.Body;
        }), context.RequestAborted);
    }

    /// <summary>200 with no body once the archive is extracted (copyUIDGID, noOverwriteDirNonDir: false when absent, as moby reads them).</summary>
    public Task Put(HttpContext context)
    {
        var id = Id(context);
        var path = PathOf(context);
        var copyUidGid = ApiQuery.Bool(context, "copyUIDGID");
        var noOverwrite = ApiQuery.Bool(context, "noOverwriteDirNonDir");
        return Task.Run(() =>
        {
            engine.Archive.Put(id, path, context.Request.Body, copyUidGid, noOverwrite);
            context.Response.StatusCode = StatusCodes.Status200OK;
        }, context.RequestAborted);
    }

    private static void SetStat(HttpContext context, PathStat stat)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("name", stat.Name);
            w.WriteNumber("size", stat.Size);
            w.WriteNumber("mode", stat.Mode);
            w.WriteString("mtime", Anchor.Engine.Inspect.ContainerInspectWriter.FormatTime(stat.ModificationTime));
            w.WriteString("linkTarget", stat.LinkTarget);
            w.WriteEndObject();
        }

        context.Response.Headers[StatHeader] = Convert.ToBase64String(buffer.ToArray());
    }
}
