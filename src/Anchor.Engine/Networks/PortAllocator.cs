using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Anchor.Engine.Networks;

/// <summary>
/// Host ports for published container ports: explicit ones are checked against every other Anchor
/// endpoint and the host's own sockets; random ones (HostPort 0) come from the kernel's ephemeral
/// range as libnetwork's portallocator hands them out: per host address and protocol, the port
/// after the last one handed out (the range's start the first time), wrapping, skipping ports in
/// use. A binding on every IPv4 address is paired with one on [::] where the host has IPv6
/// (docker 20.10's bridge driver, allocatePortsInternal), allocated on its own. Runs inside the
/// networks transaction; <c>cursors</c> is the store's memory of the last ports handed out.
/// </summary>
public sealed class PortAllocator
{
    private readonly Func<PortBinding, bool> _freeOnHost;
    private readonly Lazy<(int First, int Last)> _ephemeral;
    private readonly Lazy<bool> _ipv6;
    private readonly Func<IReadOnlySet<string>>? _kernelPorts;

    public PortAllocator(Func<PortBinding, bool> freeOnHost, (int First, int Last) ephemeral, bool ipv6 = false, Func<IReadOnlySet<string>>? kernelPorts = null)
        : this(freeOnHost, () => ephemeral, () => ipv6, kernelPorts)
    {
    }

    private PortAllocator(Func<PortBinding, bool> freeOnHost, Func<(int First, int Last)> ephemeral, Func<bool> ipv6, Func<IReadOnlySet<string>>? kernelPorts)
    {
        _freeOnHost = freeOnHost;
        _ephemeral = new(ephemeral);
        _ipv6 = new(ipv6);
        _kernelPorts = kernelPorts;
    }

    /// <summary>
    /// The host's allocator. The range and the IPv6 probe (a socket bound and listened on) are
    /// read when a port is first assigned: every run plans its networks through an allocator, and
    /// one without -p (the common case, --network none included) would otherwise pay for .NET's
    /// socket start-up on its path (perf trace: 0.5 ms of `run --rm`'s main thread).
    /// </summary>
    public static PortAllocator ForHost() => new(TryBind, () => ReadEphemeralRange(), () => HostIpv6.IsListenable, KernelPorts.Published);

    /// <summary>The bindings with every HostPort filled in, or docker's error for the first that cannot be had.</summary>
    public IReadOnlyList<PortBinding> Assign(IReadOnlyList<PortBinding> requested, IEnumerable<PortBinding> taken, string endpointName, IDictionary<string, int>? cursors = null)
    {
        var used = taken.ToList();
        var result = new List<PortBinding>();
        var kernel = new Lazy<IReadOnlySet<string>>(() => _kernelPorts?.Invoke() ?? new HashSet<string>());
        foreach (var binding in DockerOrder(requested))
        {
            foreach (var wanted in WithIpv6(binding))
            {
                var assigned = wanted.HostPort != 0 ? Explicit(wanted, used, endpointName) : Next(wanted, used, kernel, cursors ?? new Dictionary<string, int>());
                used.Add(assigned);
                result.Add(assigned);
            }
        }

        return result;
    }

    /// <summary>Same protocol, port and address family, and the addresses overlap (equal, or either is every address).</summary>
    public static bool Clash(PortBinding a, PortBinding b) =>
        a.Protocol == b.Protocol && a.HostPort == b.HostPort && a.IsIpv6 == b.IsIpv6 && (a.IsWildcard || b.IsWildcard || a.HostIp == b.HostIp);

    /// <summary>
    /// go-connections nat.SortPortMap, which the daemon applies before allocating: bindings with
    /// a larger host port first, then larger container ports, tcp before other protocols; so -P
    /// gives the highest exposed port the first free host port.
    /// </summary>
    public static IEnumerable<PortBinding> DockerOrder(IEnumerable<PortBinding> requested) =>
        requested.OrderByDescending(b => b.HostPort).ThenByDescending(b => b.ContainerPort).ThenBy(b => b.Protocol == "tcp" ? 0 : 1);

    /// <summary>
    /// The binding, and the implicit [::] one when it names no address and the host has IPv6; not
    /// for SCTP, which the IPv6 proxy does not carry (docker-proxy does; .NET has no SCTP sockets).
    /// </summary>
    private IEnumerable<PortBinding> WithIpv6(PortBinding binding)
    {
        yield return binding;
        if (binding.HostIp.Length == 0 && _ipv6.Value && binding.Protocol != "sctp")
        {
            yield return binding with { HostIp = "::" };
        }
    }

    private PortBinding Explicit(PortBinding binding, List<PortBinding> used, string endpointName)
    {
        if (used.Any(u => Clash(u, binding)))
        {
            throw new EngineException(
                $"driver failed programming external connectivity on endpoint {endpointName}: Bind for {binding.DisplayHostIp}:{binding.HostPort} failed: port is already allocated");
        }

        if (!_freeOnHost(binding))
        {
            throw new EngineException(
                $"driver failed programming external connectivity on endpoint {endpointName}: Error starting userland proxy: listen {ListenAddress(binding)}: bind: address already in use");
        }

        return binding;
    }

    /// <summary>Go's wording of a listen address: tcp4 0.0.0.0:8080, tcp6 [::]:8080.</summary>
    public static string ListenAddress(PortBinding binding) =>
        binding.IsIpv6
            ? string.Create(CultureInfo.InvariantCulture, $"{binding.Protocol}6 [{binding.HostIp}]:{binding.HostPort}")
            : string.Create(CultureInfo.InvariantCulture, $"{binding.Protocol}4 {binding.DisplayHostIp}:{binding.HostPort}");

    private PortBinding Next(PortBinding binding, List<PortBinding> used, Lazy<IReadOnlySet<string>> kernel, IDictionary<string, int> cursors)
    {
        var (first, last) = _ephemeral.Value;
        var key = binding.DisplayHostIp + "/" + binding.Protocol;
        var port = cursors.TryGetValue(key, out var previous) && previous >= first && previous <= last ? previous : last;
        for (var i = 0; i <= last - first; i++)
        {
            port = port >= last ? first : port + 1;
            var candidate = binding with { HostPort = port };
            if (!used.Any(u => Clash(u, candidate)) && !InKernel(candidate, kernel) && _freeOnHost(candidate))
            {
                cursors[key] = port;
                return candidate;
            }
        }

        throw new EngineException($"driver failed programming external connectivity: no free host port for {binding.PortKey} in {first}-{last}");
    }

    /// <summary>IPv4 ports are kernel NAT: another store's container holds one through nft's ports map, not a socket.</summary>
    private static bool InKernel(PortBinding candidate, Lazy<IReadOnlySet<string>> kernel) =>
        !candidate.IsIpv6 && kernel.Value.Contains(string.Create(CultureInfo.InvariantCulture, $"{candidate.Protocol}/{candidate.HostPort}"));

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
            using var socket = new Socket(address.AddressFamily, udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp);
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // IPV6_V6ONLY: an IPv4 socket on the same port does not make [::]:PORT busy.
                socket.DualMode = false;
            }

            socket.Bind(new IPEndPoint(address, binding.HostPort));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable or SocketError.AccessDenied or SocketError.AddressFamilyNotSupported)
        {
            return e.SocketErrorCode != SocketError.AddressAlreadyInUse;
        }
    }
}
