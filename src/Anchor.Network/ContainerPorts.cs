namespace Anchor.Network;

/// <summary>The ports one container publishes, for a full resync of the firewall.</summary>
public sealed record ContainerPorts(string ContainerId, IReadOnlyList<PortMapping> Mappings);
