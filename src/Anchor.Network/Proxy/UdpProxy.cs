using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Anchor.Network.Proxy;

/// <summary>
/// docker-proxy's UDP half: each client address gets its own connected socket towards the
/// container, whose replies go back to that client from the host port; a client silent for 90
/// seconds is forgotten (docker-proxy's UDPConnTrackTimeout).
/// </summary>
public sealed class UdpProxy : IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(90);

    private readonly Socket listener;
    private readonly IPEndPoint backend;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<IPEndPoint, Socket> clients = new();

    public UdpProxy(IPEndPoint frontend, IPEndPoint backend)
    {
        this.backend = backend;
        listener = ProxySocket.Bound(frontend, SocketType.Dgram, ProtocolType.Udp);
        _ = Task.Run(ReceiveLoop);
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Dispose();
        foreach (var socket in clients.Values)
        {
            socket.Dispose();
        }
    }

    private async Task ReceiveLoop()
    {
        // 65507: the largest UDP payload; a datagram is relayed whole or not at all.
        var buffer = new byte[65507];
        var any = new IPEndPoint(IPAddress.IPv6Any, 0);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var received = await listener.ReceiveFromAsync(buffer, SocketFlags.None, any, stop.Token).ConfigureAwait(false);
                var client = (IPEndPoint)received.RemoteEndPoint;
                if (!clients.TryGetValue(client, out var server))
                {
                    server = new Socket(backend.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                    server.Connect(backend);
                    clients[client] = server;
                    _ = Task.Run(() => ReplyLoop(client, server));
                }

                await server.SendAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP errors of one exchange (ECONNREFUSED) must not end the proxy.
            }
        }
    }

    private async Task ReplyLoop(IPEndPoint client, Socket server)
    {
        var buffer = new byte[65507];
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                idle.CancelAfter(Idle);
                var count = await server.ReceiveAsync(buffer, SocketFlags.None, idle.Token).ConfigureAwait(false);
                await listener.SendToAsync(buffer.AsMemory(0, count), SocketFlags.None, client, stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Idle, refused or stopped: forget this client; its next datagram starts over.
        }
        finally
        {
            clients.TryRemove(client, out _);
            server.Dispose();
        }
    }
}
