using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Anchor.Engine.Networks;

/// <summary>
/// Host ports for published container ports: explicit ones are checked against every other Anchor
/// endpoint and the host's own sockets; random ones (HostPort 0) come from the kernel's ephemeral
/// range, skipping ports taken by either. Runs inside the networks transaction.
/// </summary>
public sealed class PortAllocator(Func<PortBinding, bool> freeOnHost, (int First, int Last) ephemeral)
{
    public static PortAllocator ForHost() => new(TryBind, ReadEphemeralRange());

    /// <summary>The bindings with every HostPort filled in, or docker's error for the first that cannot be had.</summary>
    public IReadOnlyList<PortBinding> Assign(IReadOnlyList<PortBinding> requested, IEnumerable<PortBinding> taken, string endpointName)
    {
        var used = taken.ToList();
        var result = new List<PortBinding>();
        foreach (var binding in requested)
        {
            PortBinding assigned;
            if (binding.HostPort != 0)
            {
                assigned = binding;
                if (used.Any(u => Clash(u, assigned)))
                {
                    throw new EngineException(
                        $"driver failed programming external connectivity on endpoint {endpointName}: Bind for {assigned.DisplayHostIp}:{assigned.HostPort} failed: port is already allocated");
                }

                if (!freeOnHost(assigned))
                {
                    throw new EngineException(
                        $"driver failed programming external connectivity on endpoint {endpointName}: Error starting userland proxy: listen {assigned.Protocol}4 {assigned.DisplayHostIp}:{assigned.HostPort}: bind: address already in use");
                }
            }
            else
            {
                assigned = Random(binding, used);
            }

            used.Add(assigned);
            result.Add(assigned);
        }

        return result;
    }

    /// <summary>Same protocol and port, and the addresses overlap (equal, or either is every address).</summary>
    public static bool Clash(PortBinding a, PortBinding b) =>
        a.Protocol == b.Protocol && a.HostPort == b.HostPort && (a.HostIp.Length == 0 || b.HostIp.Length == 0 || a.HostIp == b.HostIp);

    private PortBinding Random(PortBinding binding, List<PortBinding> used)
    {
        var span = ephemeral.Last - ephemeral.First + 1;
        var offset = System.Security.Cryptography.RandomNumberGenerator.GetInt32(span);
        for (var i = 0; i < span; i++)
        {
            var candidate = binding with { HostPort = ephemeral.First + ((offset + i) % span) };
            if (!used.Any(u => Clash(u, candidate)) && freeOnHost(candidate))
            {
                return candidate;
            }
        }

        throw new EngineException($"driver failed programming external connectivity: no free host port for {binding.PortKey} in {ephemeral.First}-{ephemeral.Last}");
    }

    /// <summary>/proc/sys/net/ipv4/ip_local_port_range ("32768\t60999"); the kernel default when unreadable.</summary>
    public static (int First, int Last) ReadEphemeralRange(string path = "/proc/sys/net/ipv4/ip_local_port_range")
    {
        try
        {
            var fields = File.ReadAllText(path).Split(['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return (32768, 60999);
        }
    }

    /// <summary>Whether a host process could take the port now: bind a socket and let it go.</summary>
    public static bool TryBind(PortBinding binding)
    {
        var address = binding.HostIp.Length == 0 ? IPAddress.Any : IPAddress.Parse(binding.HostIp);
        var udp = binding.Protocol == "udp";
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, binding.HostPort));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable or SocketError.AccessDenied)
        {
            return e.SocketErrorCode != SocketError.AddressAlreadyInUse;
        }
    }
}
