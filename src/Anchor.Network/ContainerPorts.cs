namespace Anchor.Network;

/// <summary>The ports one publisher (a container's endpoint) publishes, for a full resync of the firewall.</summary>
public sealed record ContainerPorts(string PublisherId, IReadOnlyList<PortMapping> Mappings);
