using System.Globalization;

namespace Anchor.Engine.Filters;

/// <summary>A publish=/expose= filter value, PORT[/PROTO] or START-END[/PROTO] (tcp when not given), as the "80/tcp" keys it stands for.</summary>
public static class PortRange
{
    public static IReadOnlyList<string> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var proto = slash < 0 ? "tcp" : value[(slash + 1)..].ToLowerInvariant();
        var ports = slash < 0 ? value : value[..slash];
        var dash = ports.IndexOf('-', StringComparison.Ordinal);
        var (first, last) = dash < 0 ? (ports, ports) : (ports[..dash], ports[(dash + 1)..]);
        if (!ushort.TryParse(first, CultureInfo.InvariantCulture, out var from) || !ushort.TryParse(last, CultureInfo.InvariantCulture, out var to) || to < from
            || proto is not ("tcp" or "udp" or "sctp"))
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"invalid port specification: \"{value}\"", 1);
        }

        return [.. Enumerable.Range(from, to - from + 1).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p}/{proto}"))];
    }
}
