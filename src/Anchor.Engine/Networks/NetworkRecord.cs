using System.Text.Json.Serialization;

namespace Anchor.Engine.Networks;

/// <summary>A network as stored in ROOT/networks/networks.json (docker's network resource, bridge driver only).</summary>
public sealed record NetworkRecord
{
    /// <summary>64 hex digits, like a container ID.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>bridge for Anchor's own networks; host and null for the predefined host and none.</summary>
    public string Driver { get; init; } = "bridge";

    /// <summary>IPv4 CIDR (10.77.0.0/24); empty for host and none.</summary>
    public string Subnet { get; init; } = "";

    public string Gateway { get; init; } = "";

    /// <summary>The Linux bridge: anchor0 for the default network, anc- + 11 hex of the ID otherwise (IFNAMSIZ is 16 with the NUL).</summary>
    public string BridgeName { get; init; } = "";

    /// <summary>--internal: no outbound NAT, no published ports.</summary>
    public bool Internal { get; init; }

    public Dictionary<string, string> Labels { get; init; } = [];

    public required DateTimeOffset Created { get; init; }

    /// <summary>bridge, host, none: always present, cannot be created or removed.</summary>
    [JsonIgnore]
    public bool Predefined => Name is PredefinedNetworks.Bridge or PredefinedNetworks.Host or PredefinedNetworks.None;

    /// <summary>Containers on it get an address (bridge driver); host and none do not.</summary>
    [JsonIgnore]
    public bool HasAddresses => Driver == "bridge";

    [JsonIgnore]
    public Cidr Cidr => Networks.Cidr.Parse(Subnet);
}
