using System.Globalization;

namespace Anchor.Engine.Networks;

/// <summary>
/// docker ps's PORTS, as docker 20.10's CLI draws it (cli/command/formatter DisplayablePorts):
/// ports sorted by container port, host address (as text), host port and protocol; runs of
/// consecutive ports that are exposed only, or published on the same number, are grouped
/// (80-81/tcp, 0.0.0.0:80-81->80-81/tcp) in the order each group began, and mappings to another
/// host port (0.0.0.0:8080->80/tcp, :::8080->80/tcp) follow them, comma-separated.
/// </summary>
public static class PortsColumn
{
    public static string Format(IEnumerable<PortBinding> published, IEnumerable<string> exposed)
    {
        var bindings = published.ToList();
        var ports = bindings.Select(b => (Ip: b.DisplayHostIp, Private: b.ContainerPort, Public: b.HostPort, Type: b.Protocol))
            .Concat(exposed.Distinct(StringComparer.Ordinal).Where(k => bindings.All(b => b.PortKey != k))
                .Select(Exposed).OfType<(int Port, string Protocol)>().Select(k => (Ip: "", Private: k.Port, Public: 0, Type: k.Protocol)))
            .OrderBy(p => p.Private).ThenBy(p => p.Ip, StringComparer.Ordinal).ThenBy(p => p.Public).ThenBy(p => p.Type, StringComparer.Ordinal);

        var groups = new Dictionary<string, (int First, int Last)>(StringComparer.Ordinal);
        var order = new List<string>();
        var result = new List<string>();
        var mappings = new List<string>();
        foreach (var port in ports)
        {
            if (port.Ip.Length > 0 && port.Public != port.Private)
            {
                mappings.Add(string.Create(CultureInfo.InvariantCulture, $"{port.Ip}:{port.Public}->{port.Private}/{port.Type}"));
                continue;
            }

            var key = port.Ip.Length > 0 ? $"{port.Ip}/{port.Type}" : port.Type;
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = (port.Private, port.Private);
                order.Add(key);
            }
            else if (port.Private == group.Last + 1)
            {
                groups[key] = (group.First, port.Private);
            }
            else
            {
                result.Add(Group(key, group));
                groups[key] = (port.Private, port.Private);
            }
        }

        result.AddRange(order.Select(k => Group(k, groups[k])));
        result.AddRange(mappings);
        return string.Join(", ", result);
    }

    /// <summary>An ExposedPorts key as port and protocol; null for a malformed one, left out of the column rather than failing the whole listing.</summary>
    private static (int Port, string Protocol)? Exposed(string key)
    {
        try
        {
            return PortSpecParser.ParsePortKey(key);
        }
        catch (EngineException)
        {
            return null;
        }
    }

    private static string Group(string key, (int First, int Last) group)
    {
        var slash = key.LastIndexOf('/');
        var ip = slash < 0 ? "" : key[..slash];
        var type = key[(slash + 1)..];
        var range = group.First == group.Last
            ? group.First.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{group.First}-{group.Last}");
        return ip.Length > 0 ? $"{ip}:{range}->{range}/{type}" : $"{range}/{type}";
    }
}
