using System.Net;
using System.Net.Sockets;

namespace Anchor.Network.Proxy;

/// <summary>
/// The proxies of this process, by publisher. They live in the process that owns the container
/// (the foreground <c>anchor run</c> or the detached container's monitor), so they end with it
/// and no process per port is left to track or sweep.
/// </summary>
public static class UserlandProxies
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, List<IDisposable>> Running = new(StringComparer.Ordinal);

    /// <summary>
    /// Binds every mapping now and starts relaying; throws <see cref="PortAllocatedException"/>
    /// with docker's "Error starting userland proxy" text for the first that cannot be bound, in
    /// which case none of them is left.
    /// </summary>
    public static void Start(string publisherId, IReadOnlyList<PortMapping> mappings)
    {
        Stop(publisherId);
        var started = new List<IDisposable>();
        try
        {
            foreach (var m in mappings)
            {
                started.Add(Create(m));
            }
        }
        catch
        {
            started.ForEach(p => p.Dispose());
            throw;
        }

        lock (Gate)
        {
            Running[publisherId] = started;
        }
    }

    /// <summary>Closes a publisher's listeners and connections; nothing when this process runs none.</summary>
    public static void Stop(string publisherId)
    {
        List<IDisposable>? proxies;
        lock (Gate)
        {
            if (!Running.Remove(publisherId, out proxies))
            {
                return;
            }
        }

        proxies.ForEach(p => p.Dispose());
    }

    private static IDisposable Create(PortMapping m)
    {
        var frontend = new IPEndPoint(m.HostIp, m.HostPort);
        var backend = new IPEndPoint(m.ContainerIp, m.ContainerPort);
        try
        {
            return m.Protocol switch
            {
                "tcp" => new TcpProxy(frontend, backend),
                "udp" => new UdpProxy(frontend, backend),
                _ => throw new PortAllocatedException($"Error starting userland proxy: {m.Protocol} is not proxied over IPv6"),
            };
        }
        catch (SocketException e)
        {
            var step = e.SocketErrorCode == SocketError.AddressFamilyNotSupported ? "socket" : "bind";
            throw new PortAllocatedException($"Error starting userland proxy: listen {m.Protocol}6 [{m.HostIp}]:{m.HostPort}: {step}: {Errno(e)}", e);
        }
    }

    /// <summary>strerror(3)'s text, which Go's error strings carry.</summary>
    private static string Errno(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => "address already in use",
        SocketError.AddressNotAvailable => "cannot assign requested address",
        SocketError.AddressFamilyNotSupported => "address family not supported by protocol",
        SocketError.AccessDenied => "permission denied",
        _ => e.Message.ToLowerInvariant(),
    };
}
