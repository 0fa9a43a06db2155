using System.Net;

namespace Anchor.Network;

/// <summary>
/// One published port: traffic to <see cref="HostIp"/>:<see cref="HostPort"/> (IPAddress.Any: every
/// local address) is DNATed to <see cref="ContainerIp"/>:<see cref="ContainerPort"/>.
/// <see cref="Protocol"/> is "tcp", "udp" or "sctp".
/// </summary>
public sealed record PortMapping(IPAddress HostIp, int HostPort, IPAddress ContainerIp, int ContainerPort, string Protocol = "tcp")
{
    public bool AnyHostIp => HostIp.Equals(IPAddress.Any);

    /// <summary>docker's wording of this mapping's host side: 0.0.0.0:8080.</summary>
    public string HostEndpoint => $"{HostIp}:{HostPort}";
}
