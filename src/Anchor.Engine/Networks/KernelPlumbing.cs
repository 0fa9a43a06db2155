using System.Globalization;
using System.Net;
using Anchor.Engine.Containers;
using Anchor.Linux;
using Anchor.Network;
using Anchor.Network.Nft;

namespace Anchor.Engine.Networks;

/// <summary>
/// <see cref="INetworkPlumbing"/> over Anchor.Network: bridges, veths, addresses and routes through
/// rtnetlink, published ports and isolation through Anchor's nftables table. Kernel errors become
/// one-line <see cref="EngineException"/>s; what a failed step made is undone by the library.
/// </summary>
public sealed class KernelPlumbing : INetworkPlumbing
{
    public static readonly KernelPlumbing Instance = new();

    public bool IsWired => true;

    public void Attach(ContainerRecord container, int pid, NetworkRecord network, EndpointRecord endpoint, int? index = null) =>
        Kernel(() =>
        {
            var spec = Spec(network);
            BridgeNetwork.Ensure(spec);
            PhaseTrace.Mark("network: bridge ensured");
            // A start names its endpoints in order: no thread into the namespace to list its links.
            var ifName = index is { } n ? VethNames.Container(n) : EndpointPlumber.NextInterfaceName(pid);
            PhaseTrace.Mark("network: interface named");
            EndpointPlumber.Attach(pid, network.BridgeName, endpoint.HostVethName, ifName,
                IPAddress.Parse(endpoint.Address), endpoint.PrefixLength, spec.Gateway, ParseMac(endpoint.MacAddress),
                defaultRoute: ifName == VethNames.Container(0));
        });

    public void Publish(NetworkRecord network, EndpointRecord endpoint)
    {
        if (endpoint.Ports.Count == 0)
        {
            return;
        }

        var address = IPAddress.Parse(endpoint.Address);
        var mappings = endpoint.Ports
            .Select(p => new PortMapping(p.HostIp.Length == 0 ? IPAddress.Any : IPAddress.Parse(p.HostIp), p.HostPort, address, p.ContainerPort, p.Protocol))
            .ToList();
        try
        {
            Kernel(() => PortPublisher.Publish(Publisher(endpoint), mappings, Spec(network)));
        }
        catch (PortAllocatedException e)
        {
            throw new EngineException($"driver failed programming external connectivity on endpoint {endpoint.ContainerId[..12]}: {e.Message}");
        }
    }

    public void Unpublish(NetworkRecord network, EndpointRecord endpoint)
    {
        if (endpoint.Ports.Count > 0)
        {
            Kernel(() => PortPublisher.Unpublish(Publisher(endpoint)));
        }
    }

    public void Detach(NetworkRecord network, EndpointRecord endpoint) =>
        Kernel(() => EndpointPlumber.Detach(endpoint.HostVethName));

    public void RemoveNetwork(NetworkRecord network)
    {
        if (network.BridgeName.Length > 0)
        {
            Kernel(() => BridgeNetwork.Remove(network.BridgeName));
        }
    }

    public void Sweep(string storeTag, Func<IReadOnlyList<EndpointRecord>> liveEndpoints, bool rules) =>
        Kernel(() =>
        {
            // The kernel first, then the store: whatever is set up meanwhile was leased before.
            var veths = Leftovers.FindVeths(_ => false).Where(v => NetworkIds.TagOf(v) == storeTag).ToList();
            var chains = rules ? Leftovers.FindChains(_ => false).Where(c => c.StartsWith(storeTag, StringComparison.Ordinal)).ToList() : [];
            var endpoints = liveEndpoints();
            var liveVeths = endpoints.Select(e => e.HostVethName).ToHashSet(StringComparer.Ordinal);
            var livePublishers = endpoints.Select(Publisher).ToHashSet(StringComparer.Ordinal);
            foreach (var veth in veths.Where(v => !liveVeths.Contains(v)))
            {
                EndpointPlumber.Detach(veth);
            }

            foreach (var id in chains.Where(c => !livePublishers.Contains(c)))
            {
                PortPublisher.Unpublish(id);
            }
        });

    /// <summary>
    /// The 12 hex digits naming an endpoint's DNAT chain (pub-…): the store tag from its veth name,
    /// then the endpoint ID's first 8, so a store's sweep recognises its own chains.
    /// </summary>
    private static string Publisher(EndpointRecord endpoint) => NetworkIds.TagOf(endpoint.HostVethName) + endpoint.Id[..8];

    private static BridgeSpec Spec(NetworkRecord network) =>
        new(network.BridgeName, IPNetwork.Parse(network.Subnet), IPAddress.Parse(network.Gateway), network.Internal);

    private static byte[]? ParseMac(string mac) =>
        mac.Length == 0 ? null : mac.Split(':').Select(b => byte.Parse(b, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();

    private static void Kernel(Action action)
    {
        try
        {
            action();
        }
        catch (LinuxException e)
        {
            throw new EngineException(e.Message);
        }
        catch (NftException e)
        {
            throw new EngineException(e.Message);
        }
    }
}
