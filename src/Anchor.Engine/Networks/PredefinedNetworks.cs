namespace Anchor.Engine.Networks;

/// <summary>
/// The networks that always exist, as in docker: bridge (Anchor's own bridge anchor0, not docker0,
/// on a subnet docker does not use by default), host and none.
/// </summary>
public static class PredefinedNetworks
{
    public const string Bridge = "bridge";
    public const string Host = "host";
    public const string None = "none";

    public const string BridgeSubnet = "172.29.0.0/16";
    public const string BridgeGateway = "172.29.0.1";
    public const string BridgeInterface = "anchor0";

    /// <summary>The three records, with IDs derived from their names so they are the same in every command and store.</summary>
    public static IReadOnlyList<NetworkRecord> Create(DateTimeOffset created) =>
    [
        new NetworkRecord
        {
            Id = NetworkIds.FromName(Bridge),
            Name = Bridge,
            Subnet = BridgeSubnet,
            Gateway = BridgeGateway,
            BridgeName = BridgeInterface,
            Created = created,
        },
        new NetworkRecord { Id = NetworkIds.FromName(Host), Name = Host, Driver = "host", Created = created },
        new NetworkRecord { Id = NetworkIds.FromName(None), Name = None, Driver = "null", Created = created },
    ];
}
