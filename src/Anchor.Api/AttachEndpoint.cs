using System.Net.Sockets;
using Anchor.Engine;
using Anchor.Engine.Attach;
using Anchor.Engine.Containers;
using Anchor.Linux;

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
            var client = await Hijack.Begin(context, halfClose, tty);

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
            var read = await Hijack.ReadClient(client, buffer, clientClosed, token);
            if (read == 0)
            {
                await monitor.WriteAsync(AttachFrame.Encode(AttachStream.CloseStdin, []), token);
                return;
            }

            await monitor.WriteAsync(AttachFrame.Encode(AttachStream.Stdin, buffer.AsSpan(0, read)), token);
        }
    }
}
