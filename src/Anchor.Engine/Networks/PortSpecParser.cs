using System.Globalization;

namespace Anchor.Engine.Networks;

/// <summary>
/// -p/--publish and --expose values, with docker's grammar and messages (go-connections nat.ParsePortSpec):
/// [ip:][hostPort:]containerPort[/proto], where either port may be a range (8000-8001). -p's own
/// messages are capitalised as in the go-connections docker 20.10 vendors (v0.4.0).
/// </summary>
public static class PortSpecParser
{
    /// <summary>
    /// One -p value: one binding per container port; HostPort 0 means a random port. An explicit
    /// 0.0.0.0 is kept: docker publishes it on IPv4 only, where no address means IPv4 and IPv6.
    /// </summary>
    public static IReadOnlyList<PortBinding> ParsePublish(string spec)
    {
        var (rawPorts, protocol) = SplitProtocol(spec);
        var (ip, hostPart, containerPart) = SplitParts(rawPorts);
        if (ip.StartsWith('[') && ip.EndsWith(']'))
        {
            ip = ip[1..^1];
        }

        if (ip.Length > 0 && !Ipv4.TryParse(ip, out _))
        {
            // IPv6 as Go's net.ParseIP reads it (no zone), kept in its canonical form ("::1").
            ip = HostIpv6.Canonical(ip) ?? throw new EngineException($"Invalid ip address: {ip}");
        }

        if (!TryParseRange(containerPart, out var start, out var end))
        {
            throw new EngineException($"Invalid containerPort: {containerPart}");
        }

        var hostStart = 0;
        var hostEnd = 0;
        if (hostPart.Length > 0)
        {
            if (!TryParseRange(hostPart, out hostStart, out hostEnd))
            {
                throw new EngineException($"Invalid hostPort: {hostPart}");
            }

            // A host range with a single container port is a range to pick from; unsupported here.
            if (hostEnd - hostStart != end - start)
            {
                throw new EngineException($"Invalid ranges specified for container and host Ports: {containerPart} and {hostPart}");
            }
        }

        var bindings = new List<PortBinding>();
        for (var i = 0; i <= end - start; i++)
        {
            bindings.Add(new PortBinding(ip, hostPart.Length == 0 ? 0 : hostStart + i, start + i, protocol));
        }

        return bindings;
    }

    /// <summary>--expose 80, 80/udp or 8000-8001: the ExposedPorts keys (80/tcp).</summary>
    public static IReadOnlyList<string> ParseExpose(string spec)
    {
        var (ports, protocol) = SplitProtocol(spec);
        if (ports.Contains(':', StringComparison.Ordinal) || !TryParseRange(ports, out var start, out var end))
        {
            throw new EngineException($"invalid range format for --expose: {spec}, error: invalid port specification: \"{ports}\"");
        }

        return [.. Enumerable.Range(start, end - start + 1).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p}/{protocol}"))];
    }

    /// <summary>An ExposedPorts key (80/tcp, 53/udp, 80) as port and protocol.</summary>
    public static (int Port, string Protocol) ParsePortKey(string key)
    {
        var (port, protocol) = SplitProtocol(key);
        if (!TryParseRange(port, out var start, out var end) || start != end)
        {
            throw new EngineException($"invalid port specification: \"{key}\"");
        }

        return (start, protocol);
    }

    private static (string Ports, string Protocol) SplitProtocol(string spec)
    {
        var slash = spec.LastIndexOf('/');
        if (slash < 0)
        {
            return (spec, "tcp");
        }

        var protocol = spec[(slash + 1)..].ToLowerInvariant();
        if (protocol is not ("tcp" or "udp" or "sctp"))
        {
            throw new EngineException($"invalid proto: {protocol}");
        }

        if (slash == 0)
        {
            throw new EngineException($"no port specified: {spec}<empty>");
        }

        return (spec[..slash], protocol);
    }

    private static (string Ip, string Host, string Container) SplitParts(string raw)
    {
        var parts = raw.Split(':');
        return parts.Length switch
        {
            1 => ("", "", parts[0]),
            2 => ("", parts[0], parts[1]),
            3 => (parts[0], parts[1], parts[2]),
            _ => (string.Join(':', parts[..^2]), parts[^2], parts[^1]),
        };
    }

    private static bool TryParseRange(string text, out int start, out int end)
    {
        start = end = 0;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var first = dash < 0 ? text : text[..dash];
        var last = dash < 0 ? text : text[(dash + 1)..];
        return TryParsePort(first, out start) && TryParsePort(last, out end) && end >= start;
    }

    /// <summary>1–65535; docker also rejects port 0 for a container port.</summary>
    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
