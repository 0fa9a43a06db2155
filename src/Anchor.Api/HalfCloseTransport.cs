using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Anchor.Api;

/// <summary>
/// A connection's transport that survives the client's half-close on an attach. Docker's client
/// shuts down its writing side as soon as it has no more stdin to send (at once without -i), and
/// keeps reading the container's output; Kestrel takes the end of its input for the end of the
/// connection and drops it. On connections an attach marked (<see cref="HalfClose"/>) the end of
/// the client's input is reported to the attach instead, and reaches Kestrel when the attach ends;
/// on every other connection it passes at once when the client is gone, and is left for Kestrel to
/// find after its answer when the client only shut down its writing side (<see cref="PeerHangup"/>).
/// </summary>
public sealed class HalfCloseTransport : IDuplexPipe, IDisposable
{
    private readonly Pipe _input = new();
    private readonly CancellationTokenSource _closed = new();

    private HalfCloseTransport(IDuplexPipe inner, ConnectionContext connection)
    {
        Output = inner.Output;
        // Kestrel also learns of the end of input through ConnectionClosed: it fires from here now.
        connection.ConnectionClosed = _closed.Token;
        _ = Copy(inner.Input, connection);
    }

    public PipeReader Input => _input.Reader;

    public PipeWriter Output { get; }

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => connection =>
    {
        var transport = new HalfCloseTransport(connection.Transport, connection);
        connection.Transport = transport;
        return WithTransport(next(connection), transport);
    };

    private static async Task WithTransport(Task connection, HalfCloseTransport transport)
    {
        using (transport)
        {
            await connection;
        }
    }

    private async Task Copy(PipeReader from, ConnectionContext connection)
    {
        try
        {
            var head = true;
            while (true)
            {
                var result = await from.ReadAsync();
                if (head)
                {
                    // The first request's head, whole, goes through UpgradeHead.
                    var bytes = result.Buffer.ToArray();
                    var length = UpgradeHead.Length(bytes);
                    if (length < 0 && bytes.Length < 64 * 1024 && !result.IsCompleted && !result.IsCanceled)
                    {
                        from.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                        continue;
                    }

                    head = false;
                    if (length > 0)
                    {
                        await _input.Writer.WriteAsync(UpgradeHead.Rewrite(bytes[..length]));
                        await _input.Writer.WriteAsync(bytes.AsMemory(length));
                    }
                    else
                    {
                        await _input.Writer.WriteAsync(bytes);
                    }
                }
                else
                {
                    foreach (var segment in result.Buffer)
                    {
                        await _input.Writer.WriteAsync(segment);
                    }
                }

                from.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or ObjectDisposedException or InvalidOperationException)
        {
            // A reset is an end of input like any other.
        }

        await from.CompleteAsync();
        if (connection.Items.TryGetValue(HalfClose.Key, out var value) && value is HalfClose attach)
        {
            attach.ClientClosed.TrySetResult();
            await attach.Finished.Task;
        }
        else if (!PeerHangup.IsGone(connection))
        {
            // Only the client's writing side is shut (Docker.DotNet sends "Connection: close", then
            // shutdown(SHUT_WR), then reads). Kestrel takes an ended input for a lost connection
            // (it fails the request's body and drops the answer), so its input stays open: the
            // request is answered, as Go's server answers it, and Kestrel ends the connection
            // after the answer ("Connection: close") or at its keep-alive timeout.
            return;
        }

        await _input.Writer.CompleteAsync();
        await _closed.CancelAsync();
    }

    public void Dispose() => _closed.Dispose();
}
