using System.Globalization;
using Anchor.Engine;
using Anchor.Engine.Logs;

namespace Anchor.Api;

/// <summary>
/// GET /containers/{id}/logs (stdout, stderr, follow, tail, since, until, timestamps): the engine's
/// log reader into the response, in docker's 8-byte multiplexed frames unless the container has a
/// TTY (then raw, as moby's logs router does).
/// </summary>
public sealed class LogsEndpoint(AnchorEngine engine)
{
    public async Task Logs(HttpContext context)
    {
        var stdout = ApiQuery.Bool(context, "stdout");
        var stderr = ApiQuery.Bool(context, "stderr");
        if (!stdout && !stderr)
        {
            throw new BadRequestException("Bad parameters: you must choose at least one stream");
        }

        var record = engine.Containers.Find((string)context.Request.RouteValues["id"]!);
        var tail = ApiQuery.String(context, "tail");
        int? count = tail is null or "" or "all" ? null
            : int.TryParse(tail, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : null;
        var now = DateTimeOffset.Now;
        var since = ApiQuery.String(context, "since");
        var until = ApiQuery.String(context, "until");
        var options = new LogOptions(
            count,
            ApiQuery.Bool(context, "follow"),
            string.IsNullOrEmpty(since) || since == "0" ? null : DockerTimestamp.Parse("since", since, now),
            string.IsNullOrEmpty(until) || until == "0" ? null : DockerTimestamp.Parse("until", until, now));
        var tty = record.Options?.Tty ?? false;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream";
        await context.Response.StartAsync(context.RequestAborted);
        using var sink = new FramedLogSink(context.Response.Body, tty, stdout, stderr, ApiQuery.Bool(context, "timestamps"));
        await Task.Run(() =>
        {
            new LogReader(engine.Paths, engine.Containers).Read(record.Id, options, sink);
            sink.Flush();
        }, context.RequestAborted);
    }
}
