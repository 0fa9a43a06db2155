using System.Globalization;

namespace Anchor.Engine.Networks;

/// <summary>
/// One published port: HostIp:HostPort on the host forwards to ContainerPort/Protocol in the
/// container. HostIp "" means every address (docker shows 0.0.0.0); HostPort 0 means "pick one".
/// </summary>
public sealed record PortBinding(string HostIp, int HostPort, int ContainerPort, string Protocol)
{
    /// <summary>docker's key in ExposedPorts and PortBindings: 80/tcp.</summary>
    public string PortKey => string.Create(CultureInfo.InvariantCulture, $"{ContainerPort}/{Protocol}");

    public string DisplayHostIp => HostIp.Length == 0 ? "0.0.0.0" : HostIp;

    /// <summary>docker port's line: 80/tcp -> 0.0.0.0:8080.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{PortKey} -> {DisplayHostIp}:{HostPort}");
}
