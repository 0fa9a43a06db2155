namespace Anchor.Engine.Networks;

/// <summary>docker ps's PORTS: 0.0.0.0:8080->80/tcp for published ports, 80/tcp for exposed-only ones, comma-separated.</summary>
public static class PortsColumn
{
    public static string Format(IEnumerable<PortBinding> published, IEnumerable<string> exposed)
    {
        var bindings = published.ToList();
        var parts = bindings
            .OrderBy(b => b.ContainerPort).ThenBy(b => b.Protocol, StringComparer.Ordinal)
            .Select(b => $"{b.DisplayHostIp}:{b.HostPort}->{b.PortKey}")
            .Concat(exposed.Where(k => bindings.All(b => b.PortKey != k)).Distinct(StringComparer.Ordinal));
        return string.Join(", ", parts);
    }
}
