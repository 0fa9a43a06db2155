using Anchor.Engine;

namespace Anchor.Api;

/// <summary>
/// POST /containers/{id}/resize?h=&amp;w= and /exec/{id}/resize?h=&amp;w=: the TTY's size, which
/// docker's CLI sends when `run -it`, `attach` or `exec -it` begins and on every SIGWINCH (200, no body).
/// </summary>
public sealed class ResizeEndpoints(AnchorEngine engine, ExecInstances instances)
{
    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    public Task Container(HttpContext context)
    {
        var (rows, columns) = Size(context);
        engine.Attach.Resize(Id(context), rows, columns);
        context.Response.StatusCode = StatusCodes.Status200OK;
        return Task.CompletedTask;
    }

    public async Task Exec(HttpContext context)
    {
        var (rows, columns) = Size(context);
        await instances.Find(Id(context)).Resize(rows, columns);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>moby reads h and w with strconv.Atoi: a missing or malformed one is a bad parameter.</summary>
    private static (ushort Rows, ushort Columns) Size(HttpContext context) =>
        (Dimension(context, "h"), Dimension(context, "w"));

    private static ushort Dimension(HttpContext context, string name) =>
        ApiQuery.Int(context, name) is { } value
            ? (ushort)Math.Clamp(value, 0, ushort.MaxValue)
            : throw new BadRequestException($"strconv.Atoi: parsing \"\": invalid syntax");
}
