using System.Net;
using System.Net.Sockets;
using Anchor.Network.Nft;
using Anchor.Network.Proxy;

namespace Anchor.Network;

/// <summary>
/// Published ports as kernel NAT (nft DNAT in prerouting and output), not docker's userland
/// proxy: one less process per port, no copy through user space (throughput is the kernel's), and
/// the container sees the client's real address. 127.0.0.1 works too: route_localnet on the
/// bridge lets the DNATed packet leave it, and its 127.0.0.0/8 source is masqueraded to the
/// gateway so the container can answer (netavark's way). Nothing listens on the host port, so a
/// host process holding it is detected by trying to bind it first, and another container holding
/// it by the kernel refusing a duplicate map element.
/// </summary>
public static class PortPublisher
{
    /// <summary>
    /// Publishes every mapping in one transaction; throws <see cref="PortAllocatedException"/>
    /// naming the first taken port, in which case nothing was added.
    /// </summary>
    /// <remarks>
    /// IPv6 host addresses have no kernel path to a container that has only IPv4: there is no
    /// route_localnet for ::1 and NAT cannot change the family, so they are served by a userland
    /// proxy in this process, as docker 20.10's bridge driver does for a container without IPv6
    /// (libnetwork allocatePortsInternal). The proxies bind first: if nft then refuses, they are closed.
    /// </remarks>
    public static void Publish(string publisherId, IReadOnlyList<PortMapping> all, BridgeSpec? network = null)
    {
        var proxied = all.Where(m => m.HostIp.AddressFamily == AddressFamily.InterNetworkV6).ToList();
        var mappings = all.Where(m => m.HostIp.AddressFamily != AddressFamily.InterNetworkV6).ToList();
        UserlandProxies.Start(publisherId, proxied);
        try
        {
            PublishKernel(publisherId, mappings, network);
        }
        catch
        {
            UserlandProxies.Stop(publisherId);
            throw;
        }
    }

    private static void PublishKernel(string publisherId, List<PortMapping> mappings, BridgeSpec? network)
    {
        if (mappings.Count == 0)
        {
            return;
        }

        if (network is not null)
        {
            Sysctl.EnableForwarding();
            Sysctl.EnableRouteLocalnet(network.Bridge);
        }

        foreach (var mapping in mappings)
        {
            CheckBindable(mapping);
        }

        try
        {
            NftCommand.Apply(NftRuleset.Publish(publisherId, mappings, network: network));
        }
        catch (NftException e) when (e.Message.Contains("File exists", StringComparison.Ordinal))
        {
            var ours = NftRuleset.PublisherChain(publisherId);
            var taken = Elements().Where(t => t.Chain != ours).Select(t => t.Key).ToHashSet();
            var conflict = mappings.FirstOrDefault(m => taken.Contains(new PortKey(m.Protocol, m.HostPort)));
            if (conflict is not null)
            {
                throw new PortAllocatedException(conflict);
            }

            // Only our own elements, left by a previous run of this container (a restart keeps
            // its endpoint): replace them. The rules only: the proxies just started stay.
            UnpublishKernel(publisherId);
            NftCommand.Apply(NftRuleset.Publish(publisherId, mappings, network: network));
        }
    }

    /// <summary>Closes this process's proxies of the publisher, removes its DNAT chain and map elements; a container with none costs one nft listing.</summary>
    public static void Unpublish(string publisherId)
    {
        UserlandProxies.Stop(publisherId);
        UnpublishKernel(publisherId);
    }

    private static void UnpublishKernel(string publisherId)
    {
        var chain = NftRuleset.PublisherChain(publisherId);
        var table = NftCommand.List($"table {NftRuleset.Table}");
        if (table is null || !NftRuleset.ParsePublisherChains(table).Contains(chain))
        {
            return;
        }

        var keys = NftRuleset.ParsePorts(table).Where(t => t.Chain == chain).Select(t => t.Key);
        NftCommand.Apply(NftRuleset.Unpublish(publisherId, keys));
    }

    /// <summary>Rebuilds Anchor's whole table from the store's networks and published ports, atomically.</summary>
    public static void Resync(IEnumerable<BridgeSpec> networks, IEnumerable<ContainerPorts> published)
    {
        var list = networks.ToList();
        Sysctl.EnableForwarding();
        foreach (var network in list)
        {
            if (File.Exists($"/sys/class/net/{network.Bridge}/bridge/bridge_id"))
            {
                Sysctl.EnableRouteLocalnet(network.Bridge);
            }
        }

        // IPv6 mappings are the owning processes' proxies, not rules.
        var kernel = published.Select(c => c with { Mappings = [.. c.Mappings.Where(m => m.HostIp.AddressFamily != AddressFamily.InterNetworkV6)] });
        NftCommand.Apply(NftRuleset.Resync(list, kernel));
    }

    /// <summary>The container chains that publish ports now (their pub-ID12 names).</summary>
    public static List<string> PublishingChains()
    {
        var table = NftCommand.List($"table {NftRuleset.Table}");
        return table is null ? [] : NftRuleset.ParsePublisherChains(table);
    }

    /// <summary>Every protocol/port the <c>ports</c> map holds, whichever store's container published it ("tcp/8080").</summary>
    public static HashSet<string> PublishedPorts() =>
        Elements().Select(e => e.Key.Protocol + "/" + e.Key.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);

    private static List<(PortKey Key, string Chain)> Elements()
    {
        var listing = NftCommand.List($"map {NftRuleset.Table} ports");
        return listing is null ? [] : NftRuleset.ParsePorts(listing);
    }

    /// <summary>A host process listening on the port (or bound to it, for UDP) makes it taken, as with docker's proxy.</summary>
    private static void CheckBindable(PortMapping mapping)
    {
        var type = mapping.Protocol == "udp" ? SocketType.Dgram : SocketType.Stream;
        var protocol = mapping.Protocol == "udp" ? ProtocolType.Udp : ProtocolType.Tcp;
        if (mapping.Protocol == "sctp")
        {
            return;
        }

        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        // SO_REUSEADDR: a connection in TIME_WAIT does not hold the port, a listener does.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            socket.Bind(new IPEndPoint(mapping.HostIp, mapping.HostPort));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new PortAllocatedException(mapping);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            throw new PortAllocatedException($"Bind for {mapping.HostEndpoint} failed: cannot assign requested address", e);
        }
    }
}
