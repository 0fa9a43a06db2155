using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Anchor.Api;

/// <summary>
/// The connection docker's clients take over for attach and exec start (moby api/server/httputils
/// hijack): 101 with Upgrade: tcp, then raw bytes both ways; 8-byte frames without a TTY, bare
/// bytes with one.
/// </summary>
public static class Hijack
{
    /// <summary>Upgrades the request and returns the raw connection (the response body for a client that did not ask).</summary>
    public static async Task<Stream> Begin(HttpContext context, HalfClose halfClose, bool tty)
    {
        context.Response.Headers.ContentType = tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream";
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is { IsUpgradableRequest: true } && context.Features.Get<IConnectionItemsFeature>() is { } items)
        {
            items.Items[HalfClose.Key] = halfClose;
            context.Response.Headers.Upgrade = "tcp";
            return await upgrade.UpgradeAsync();
        }

        // A client that did not ask for the upgrade still gets the output, as the response body.
        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.StartAsync(context.RequestAborted);
        return context.Response.Body;
    }

    /// <summary>
    /// The next bytes from the client, or 0 at its end of input. After the client's half-close
    /// everything it sent is readable at once, so a read that gives nothing within a moment is the end.
    /// </summary>
    public static async Task<int> ReadClient(Stream client, byte[] buffer, Task clientClosed, CancellationToken token)
    {
        var pending = client.ReadAsync(buffer, token).AsTask();
        if (await Task.WhenAny(pending, clientClosed) == pending)
        {
            return await pending;
        }

        return await Task.WhenAny(pending, Task.Delay(50, token)) == pending ? await pending : 0;
    }
}
