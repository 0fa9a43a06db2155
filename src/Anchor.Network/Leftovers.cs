using Anchor.Network.Netlink;
using Anchor.Network.Nft;

namespace Anchor.Network;

/// <summary>
/// What containers that died without cleaning up left in the kernel: host veths (av…, normally
/// gone with the container's namespace, but kept while anything holds it) and DNAT chains
/// (ctr-…). <paramref name="containerAlive"/> answers for a container ID's 12-digit prefix.
/// </summary>
public static class Leftovers
{
    /// <summary>The av… links of the host whose container is not alive.</summary>
    public static List<string> FindVeths(Func<string, bool> containerAlive)
    {
        using var socket = NetlinkSocket.Open();
        return new Rtnetlink(socket).ListLinks()
            .Where(l => l.Kind == "veth" && VethNames.ContainerIdPrefix(l.Name) is { } id && !containerAlive(id))
            .Select(l => l.Name)
            .ToList();
    }

    /// <summary>The container ID prefixes of DNAT chains whose container is not alive (one nft listing).</summary>
    public static List<string> FindChains(Func<string, bool> containerAlive) =>
        PortPublisher.PublishingChains()
            .Select(c => c["ctr-".Length..])
            .Where(id => !containerAlive(id))
            .ToList();

    /// <summary>Finds and removes both kinds; returns what was removed (veth names, then ctr- chains).</summary>
    public static List<string> Reclaim(Func<string, bool> containerAlive, bool includeChains = true)
    {
        var removed = new List<string>();
        foreach (var veth in FindVeths(containerAlive))
        {
            if (EndpointPlumber.Detach(veth))
            {
                removed.Add(veth);
            }
        }

        if (includeChains)
        {
            foreach (var id in FindChains(containerAlive))
            {
                PortPublisher.Unpublish(id);
                removed.Add(NftRuleset.ContainerChain(id));
            }
        }

        return removed;
    }
}
