using Anchor.Network.Nft;

namespace Anchor.Network;

/// <summary>
/// What containers that died without cleaning up left in the kernel: host veths (av…, normally
/// gone with the container's namespace, but kept while anything holds it, or orphaned by a crash
/// between creating the pair and recording it) and DNAT chains (pub-…). The engine says what is
/// still live: the host veth names and publisher IDs of its current endpoints.
/// </summary>
public static class Leftovers
{
    /// <summary>
    /// The host's links named av… that <paramref name="isLive"/> does not claim (from
    /// /sys/class/net: one directory read). Call it before reading what is live, so a veth made
    /// for a lease taken meanwhile is never mistaken for a leftover.
    /// </summary>
    public static List<string> FindVeths(Func<string, bool> isLive) =>
        Directory.EnumerateFileSystemEntries("/sys/class/net")
            .Select(p => Path.GetFileName(p))
            .Where(n => n.StartsWith(VethNames.Prefix, StringComparison.Ordinal) && !isLive(n))
            .ToList();

    /// <summary>The 12-digit IDs of pub- chains that <paramref name="isLive"/> does not claim (one nft listing).</summary>
    public static List<string> FindChains(Func<string, bool> isLive) =>
        PortPublisher.PublishingChains()
            .Select(c => c["pub-".Length..])
            .Where(id => !isLive(id))
            .ToList();

    /// <summary>Finds and removes both kinds; returns what was removed (veth names, then pub- chains).</summary>
    public static List<string> Reclaim(Func<string, bool> vethIsLive, Func<string, bool>? publisherIsLive = null)
    {
        var removed = new List<string>();
        foreach (var veth in FindVeths(vethIsLive))
        {
            if (EndpointPlumber.Detach(veth))
            {
                removed.Add(veth);
            }
        }

        if (publisherIsLive is not null)
        {
            foreach (var id in FindChains(publisherIsLive))
            {
                PortPublisher.Unpublish(id);
                removed.Add(NftRuleset.PublisherChain(id));
            }
        }

        return removed;
    }
}
