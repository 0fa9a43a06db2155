using System.Text;
using Anchor.Engine;
using Anchor.Engine.Events;
using Anchor.Engine.Logs;

namespace Anchor.Api;

/// <summary>
/// GET /events?since=&amp;until=&amp;filters=: the store's event journal as `anchor events` follows it
/// (<see cref="EventStream"/>), one JSON message per line (swagger EventMessage, docker's legacy
/// status/id/from fields included), streamed until <c>until</c> passes or the client goes away.
/// </summary>
public sealed class EventsEndpoint(AnchorEngine engine)
{
    public async Task Events(HttpContext context)
    {
        var now = DateTimeOffset.Now;
        var since = Timestamp(context, "since", now);
        var until = Timestamp(context, "until", now);
        var filter = EventFilter.Parse(ApiQuery.Filters(context));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        // The headers go at once: docker's client waits for them before it prints anything.
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var body = context.Response.Body;
        var token = context.RequestAborted;
        await Task.Factory.StartNew(() =>
        {
            try
            {
                new EventStream(new EventJournal(engine.Paths)).Run(since, until, filter, e =>
                {
                    var line = Encoding.UTF8.GetBytes(EventCodec.ToJson(e) + "\n");
                    body.WriteAsync(line, token).AsTask().GetAwaiter().GetResult();
                    body.FlushAsync(token).GetAwaiter().GetResult();
                }, token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The client went away.
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The client sends seconds[.nanoseconds] (moby api/types/time GetTimestamp); a bad value is a 400.</summary>
    private static long? Timestamp(HttpContext context, string name, DateTimeOffset now)
    {
        var text = ApiQuery.String(context, name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return (long)DockerTimestamp.Parse(name, text, now, clientNamesFlag: false);
        }
        catch (EngineException e)
        {
            throw new BadRequestException(e.Message);
        }
    }
}
