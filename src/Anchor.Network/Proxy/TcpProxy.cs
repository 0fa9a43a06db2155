using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Anchor.Network.Proxy;

/// <summary>
/// docker-proxy's TCP half, inside the process that owns the container: accepts on the host
/// address and relays each connection to the container's address, one direction's end passed on
/// as a half-close (shutdown SHUT_WR) so request/response protocols that rely on it keep working.
/// </summary>
public sealed class TcpProxy : IDisposable
{
    private const int BufferSize = 32 * 1024;

    private readonly Socket listener;
    private readonly IPEndPoint backend;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<Socket, byte> open = new();

    /// <summary>Binds and listens now (so a taken port fails here); relaying runs on the thread pool.</summary>
    public TcpProxy(IPEndPoint frontend, IPEndPoint backend)
    {
        this.backend = backend;
        listener = ProxySocket.Bound(frontend, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _ = Task.Run(AcceptLoop);
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Dispose();
        foreach (var socket in open.Keys)
        {
            socket.Dispose();
        }
    }

    private async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // ECONNABORTED and friends concern one connection, not the listener.
                continue;
            }

            _ = Task.Run(() => Relay(client));
        }
    }

    private async Task Relay(Socket client)
    {
        var server = new Socket(backend.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        open[client] = 0;
        open[server] = 0;
        try
        {
            await server.ConnectAsync(backend, stop.Token).ConfigureAwait(false);
            await Task.WhenAll(Pump(client, server), Pump(server, client)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The container refused or is gone: the client sees its connection closed, as with docker-proxy.
        }
        finally
        {
            open.TryRemove(client, out _);
            open.TryRemove(server, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task Pump(Socket from, Socket to)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var count = await from.ReceiveAsync(buffer, SocketFlags.None, stop.Token).ConfigureAwait(false);
                if (count == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                for (var sent = 0; sent < count;)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, count - sent), SocketFlags.None, stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side reset: end both directions so the other pump's receive returns too.
            Abort(from);
            Abort(to);
        }
    }

    private static void Abort(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }
}
