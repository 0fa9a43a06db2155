using Anchor.Engine.Containers;

namespace Anchor.Engine.Networks;

/// <summary>
/// The kernel side of networking (bridges, veths, addresses, routes, NAT and port rules), implemented
/// over Anchor.Network. The metadata side (<see cref="NetworkAttachments"/>) decides names, addresses
/// and ports under the networks lock; the plumbing makes them real. Every method must be idempotent
/// and tolerate objects that are already gone (a container that died took its namespace with it).
/// </summary>
public interface INetworkPlumbing
{
    /// <summary>False until the kernel side exists: bridge networks are then refused, never faked.</summary>
    bool IsWired { get; }

    /// <summary>
    /// Ensures the network's bridge (BridgeName, Gateway/prefix, NAT unless Internal), creates the veth
    /// pair (HostVethName on the bridge; the peer moved into /proc/PID/ns/net as eth0, eth1…, with
    /// Address/PrefixLength, MacAddress, default route via the gateway for the first network).
    /// </summary>
    /// <param name="index">
    /// N of the container's ethN when the caller knows it (the endpoints of a start, wired in order
    /// into a namespace that has only lo); null to take the first free name (network connect).
    /// </param>
    void Attach(ContainerRecord container, int pid, NetworkRecord network, EndpointRecord endpoint, int? index = null);

    /// <summary>Forwards endpoint.Ports (HostIp:HostPort → Address:ContainerPort) on the host.</summary>
    void Publish(NetworkRecord network, EndpointRecord endpoint);

    /// <summary>Removes what <see cref="Publish"/> added for the endpoint.</summary>
    void Unpublish(NetworkRecord network, EndpointRecord endpoint);

    /// <summary>Deletes the host-side veth if it still exists (the peer goes with it).</summary>
    void Detach(NetworkRecord network, EndpointRecord endpoint);

    /// <summary>network rm / prune: deletes the network's bridge and its NAT and isolation rules.</summary>
    void RemoveNetwork(NetworkRecord network);

    /// <summary>
    /// Reclaims this store's kernel objects (named with <paramref name="storeTag"/>) that no live
    /// endpoint claims (veths and, with <paramref name="rules"/>, port rules), left by containers
    /// that died without cleanup. <paramref name="liveEndpoints"/> is read after the kernel is
    /// listed, so an endpoint set up meanwhile is never swept.
    /// </summary>
    void Sweep(string storeTag, Func<IReadOnlyList<EndpointRecord>> liveEndpoints, bool rules);
}
