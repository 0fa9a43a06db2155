namespace Anchor.Engine.Networks;

/// <summary>The contents of ROOT/networks/networks.json: user networks and every live endpoint.</summary>
public sealed class NetworkState
{
    /// <summary>When the store was first written: the predefined networks' Created, as docker shows the daemon's start.</summary>
    public DateTimeOffset Created { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>User networks only; the predefined ones are added by <see cref="All"/>.</summary>
    public List<NetworkRecord> Networks { get; init; } = [];

    public List<EndpointRecord> Endpoints { get; init; } = [];

    /// <summary>
    /// The last host port handed out per "hostIP/protocol" (0.0.0.0/tcp, ::/tcp): random ports
    /// continue after it, as libnetwork's portallocator does for its daemon's lifetime.
    /// </summary>
    public Dictionary<string, int> PortCursors { get; init; } = [];

    /// <summary>bridge, host, none, then the user networks.</summary>
    public IEnumerable<NetworkRecord> All() => PredefinedNetworks.Create(Created).Concat(Networks);
}
