using Anchor.Engine;
using Anchor.Engine.Top;

namespace Anchor.Api;

/// <summary>POST /containers/{id}/pause, /unpause, /rename?name= and GET /containers/{id}/top?ps_args=.</summary>
public sealed class ContainerVerbEndpoints(AnchorEngine engine)
{
    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    /// <summary>204: the container's cgroup frozen, as `anchor pause`.</summary>
    public Task Pause(HttpContext context) => NoContent(context, () => engine.Lifecycle.Pause(Id(context), true));

    public Task Unpause(HttpContext context) => NoContent(context, () => engine.Lifecycle.Pause(Id(context), false));

    /// <summary>204; an absent name is the engine's own error, as `anchor rename` gives it.</summary>
    public Task Rename(HttpContext context) => NoContent(context, () => engine.Lifecycle.Rename(Id(context), ApiQuery.String(context, "name") ?? ""));

    /// <summary>200 {"Titles": [...], "Processes": [[...]]}; ps_args as the CLI sends them, space separated (docker's default -ef).</summary>
    public Task Top(HttpContext context)
    {
        var psArgs = (ApiQuery.String(context, "ps_args") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var top = ContainerTop.Of(engine, Id(context), psArgs);
        ApiJson.Ok(context, w =>
        {
            w.WriteStartObject();
            ApiJson.WriteStrings(w, "Titles", top.Titles);
            w.WriteStartArray("Processes");
            foreach (var row in top.Processes)
            {
                ApiJson.WriteStrings(w, null, row);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        return Task.CompletedTask;
    }

    public static Task NoContent(HttpContext context, Action action)
    {
        action();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }
}
