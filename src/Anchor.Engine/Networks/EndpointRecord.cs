namespace Anchor.Engine.Networks;

/// <summary>
/// A container's attachment to one network while it runs: the address lease, the host side of its
/// veth pair and its published ports. Stored with the networks, so leases and host ports are
/// allocated under the same lock.
/// </summary>
public sealed record EndpointRecord
{
    /// <summary>64 hex digits, docker's EndpointID.</summary>
    public required string Id { get; init; }

    public required string ContainerId { get; init; }

    public required string NetworkId { get; init; }

    /// <summary>The container's IPv4 address on the network (10.77.0.2).</summary>
    public required string Address { get; init; }

    public required int PrefixLength { get; init; }

    /// <summary>docker's 02:42 + the four bytes of the address.</summary>
    public required string MacAddress { get; init; }

    /// <summary>Names other containers on a user network resolve to this address (--network-alias).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>"av" + 10 hex: unique, at most 15 characters, and recognisable as Anchor's by cleanup.</summary>
    public required string HostVethName { get; init; }

    public IReadOnlyList<PortBinding> Ports { get; init; } = [];

    /// <summary>The anchor process that leased it: the lease is live while that process is, even before the container runs.</summary>
    public int OwnerPid { get; init; }
}
