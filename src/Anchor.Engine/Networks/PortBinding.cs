using System.Globalization;

namespace Anchor.Engine.Networks;

/// <summary>
/// One published port: HostIp:HostPort on the host forwards to ContainerPort/Protocol in the
/// container. HostIp "" means every IPv4 address (docker shows 0.0.0.0; on a host with IPv6 the
/// allocator pairs it with a "::" binding, as docker 20.10 does); HostPort 0 means "pick one".
/// </summary>
public sealed record PortBinding(string HostIp, int HostPort, int ContainerPort, string Protocol)
{
    /// <summary>docker's key in ExposedPorts and PortBindings: 80/tcp.</summary>
    public string PortKey => string.Create(CultureInfo.InvariantCulture, $"{ContainerPort}/{Protocol}");

    public string DisplayHostIp => HostIp.Length == 0 ? "0.0.0.0" : HostIp;

    /// <summary>An IPv6 host address (Go's To4() == nil): published through the userland proxy.</summary>
    public bool IsIpv6 => HostIp.Contains(':', StringComparison.Ordinal);

    /// <summary>Every address of its family: "", 0.0.0.0 or ::.</summary>
    public bool IsWildcard => HostIp is "" or "0.0.0.0" or "::";

    /// <summary>docker 20.10's `port` line (cli/command/container/port.go prints HostIP:HostPort as is): 80/tcp -> 0.0.0.0:8080, 80/tcp -> :::8080.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{PortKey} -> {DisplayHostIp}:{HostPort}");
}
