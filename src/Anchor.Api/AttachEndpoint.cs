using System.Net.Sockets;
using Anchor.Engine;
using Anchor.Engine.Attach;
using Anchor.Engine.Containers;
using Anchor.Linux;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Anchor.Api;

/// <summary>
/// POST /containers/{id}/attach?stream=1&amp;stdin=1&amp;stdout=1&amp;stderr=1: the HTTP upgrade docker's
/// clients ask for (101, Upgrade: tcp), then the container's streams over the raw connection,
/// relayed from and to the monitor's attach socket (docs/architecture.md, "Attach"): without a
/// TTY docker's 8-byte frames, which are the monitor's own for stdout and stderr; with a TTY the
/// bare bytes. Client bytes go to the container's stdin; the client's half-close closes it.
/// </summary>
public sealed class AttachEndpoint(AnchorEngine engine, PendingAttaches pending)
{
    public async Task Attach(HttpContext context)
    {
        var record = ProcessLiveness.Refresh(engine.Containers.Find((string)context.Request.RouteValues["id"]!));
        var wantStdin = ApiQuery.Bool(context, "stdin") && record.Options?.Interactive == true;
        var wantStdout = ApiQuery.Bool(context, "stdout");
        var wantStderr = ApiQuery.Bool(context, "stderr");
        var tty = record.Options?.Tty ?? false;
        int fd;
        var waiting = -1;
        if (record.Status == ContainerStatus.Running)
        {
            fd = engine.Attach.Connect(record);
        }
        else if (record.Status is ContainerStatus.Created or ContainerStatus.Exited)
        {
            var (client, monitorEnd) = UnixSocket.Pair();
            if (!pending.TryAdd(record.Id, monitorEnd))
            {
                Anchor.Linux.Interop.LibC.close(client);
                Anchor.Linux.Interop.LibC.close(monitorEnd);
                throw new EngineException($"container {record.Id[..12]} already has a client waiting for its start") { Kind = EngineErrorKind.Conflict };
            }

            (fd, waiting) = (client, monitorEnd);
        }
        else
        {
            throw new EngineException($"container {record.Id[..12]} is {record.Status.ToString().ToLowerInvariant()}: cannot attach") { Kind = EngineErrorKind.Conflict };
        }

        using var monitor = new NetworkStream(new Socket(new SafeSocketHandle(fd, ownsHandle: true)), ownsSocket: true);
        var halfClose = new HalfClose();
        try
        {
            context.Response.Headers.ContentType = tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream";
            var upgrade = context.Features.Get<IHttpUpgradeFeature>();
            Stream client;
            if (upgrade is { IsUpgradableRequest: true } && context.Features.Get<IConnectionItemsFeature>() is { } items)
            {
                items.Items[HalfClose.Key] = halfClose;
                context.Response.Headers.Upgrade = "tcp";
                client = await upgrade.UpgradeAsync();
            }
            else
            {
                // A client that did not ask for the upgrade still gets the output, as the response body.
                context.Response.StatusCode = StatusCodes.Status200OK;
                await context.Response.StartAsync(context.RequestAborted);
                client = context.Response.Body;
            }

            // Not linked to RequestAborted: docker's client half-closes the connection when it sends
            // no stdin (HalfCloseTransport); the relay ends with the container's output, or when
            // writing to the client fails.
            using var stop = new CancellationTokenSource();
            var input = wantStdin ? PumpStdin(client, monitor, halfClose.ClientClosed.Task, stop.Token) : Task.CompletedTask;
            if (await PumpOutput(monitor, client, tty, wantStdout, wantStderr, stop.Token) is { } exit)
            {
                pending.RecordExit(record.Id, exit);
            }

            await stop.CancelAsync();
            try
            {
                await input;
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // The client's stdin ends with the container's output.
            }

            await client.FlushAsync(CancellationToken.None);
            await client.DisposeAsync();
        }
        finally
        {
            halfClose.Finished.TrySetResult();
            if (waiting >= 0)
            {
                pending.Drop(record.Id, waiting);
            }
        }
    }

    /// <summary>Monitor frames to the client until the exit frame (its code is returned) or the monitor's end of file.</summary>
    private static async Task<int?> PumpOutput(Stream monitor, Stream client, bool tty, bool wantStdout, bool wantStderr, CancellationToken token)
    {
        var decoder = new AttachFrameDecoder();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int read;
            try
            {
                read = await monitor.ReadAsync(buffer, token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            decoder.Append(buffer.AsSpan(0, read));
            while (decoder.TryRead(out var frame))
            {
                switch (frame.Stream)
                {
                    case AttachStream.Exit:
                        return frame.Payload.Length == 4 ? System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(frame.Payload) : null;
                    case AttachStream.Stdout when wantStdout:
                    case AttachStream.Stderr when wantStderr:
                        await client.WriteAsync(tty ? frame.Payload : AttachFrame.Encode(frame.Stream, frame.Payload), token);
                        break;
                }
            }

            await client.FlushAsync(token);
        }
    }

    /// <summary>Client bytes to the container's stdin; the client's end of input closes it (docker's StdinOnce).</summary>
    private static async Task PumpStdin(Stream client, Stream monitor, Task clientClosed, CancellationToken token)
    {
        var buffer = new byte[32 * 1024];
        while (true)
        {
            var read = await ReadClient(client, buffer, clientClosed, token);
            if (read == 0)
            {
                await monitor.WriteAsync(AttachFrame.Encode(AttachStream.CloseStdin, []), token);
                return;
            }

            await monitor.WriteAsync(AttachFrame.Encode(AttachStream.Stdin, buffer.AsSpan(0, read)), token);
        }
    }

    /// <summary>
    /// The next bytes from the client, or 0 at its end of input. After the client's half-close
    /// everything it sent is readable at once, so a read that gives nothing within a moment is the end.
    /// </summary>
    private static async Task<int> ReadClient(Stream client, byte[] buffer, Task clientClosed, CancellationToken token)
    {
        var pending = client.ReadAsync(buffer, token).AsTask();
        if (await Task.WhenAny(pending, clientClosed) == pending)
        {
            return await pending;
        }

        return await Task.WhenAny(pending, Task.Delay(50, token)) == pending ? await pending : 0;
    }
}
