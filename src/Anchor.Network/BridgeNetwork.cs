using System.Net;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Network.Netlink;
using Anchor.Network.Nft;

namespace Anchor.Network;

/// <summary>
/// A bridge network on the host: the bridge link (rtnetlink(7), kind "bridge") holding the
/// gateway address, up, with IP forwarding and its firewall chains (masquerade unless internal,
/// isolation from the other Anchor bridges).
/// </summary>
public static class BridgeNetwork
{
    /// <summary>
    /// Creates what is missing; safe to call on every container start and from concurrent
    /// processes (EEXIST from a racing creator is success). The firewall transaction (one nft
    /// run, ~10 ms) is applied only when the bridge or its address was new, or when asked:
    /// the bridge and the table live and die together (both vanish at reboot), and
    /// <see cref="PortPublisher.Resync"/> repairs a table flushed behind Anchor's back.
    /// Returns true when something was created.
    /// </summary>
    public static bool Ensure(BridgeSpec network, bool refreshFirewall = false)
    {
        var created = false;
        using (var socket = NetlinkSocket.Open())
        {
            var rt = new Rtnetlink(socket);
            var link = rt.GetLink(network.Bridge);
            if (link is null)
            {
                try
                {
                    rt.CreateBridge(network.Bridge);
                    created = true;
                }
                catch (LinuxException e) when (e.Errno == LibC.EEXIST)
                {
                    // Another anchor process made it first.
                }

                link = rt.RequireLink(network.Bridge);
            }

            if (link.Kind != "bridge")
            {
                throw new LinuxException(LibC.EEXIST, "create bridge", $"{network.Bridge} (a {link.Kind ?? "device"} of that name exists)");
            }

            created |= rt.AddAddress(link, network.Gateway, network.Subnet.PrefixLength);
            if (!link.IsUp)
            {
                rt.SetUp(link);
            }
        }

        if (created || refreshFirewall)
        {
            Sysctl.EnableForwarding();
            Sysctl.EnableRouteLocalnet(network.Bridge);
            NftCommand.Apply(NftRuleset.EnsureNetwork(network));
        }

        return created;
    }

    /// <summary>Deletes the network's firewall chains and its bridge (its veths go with it); false when there was no bridge.</summary>
    public static bool Remove(string bridge)
    {
        NftCommand.Apply(NftRuleset.RemoveNetwork(bridge));
        using var socket = NetlinkSocket.Open();
        return new Rtnetlink(socket).DeleteLink(bridge);
    }

    /// <summary>Deletes Anchor's table when no network and no published port uses it; true when it did.</summary>
    public static bool RemoveFirewallIfUnused()
    {
        var table = NftCommand.List($"table {NftRuleset.Table}");
        if (table is null || table.Contains("elements =", StringComparison.Ordinal) || NftRuleset.ParsePublisherChains(table).Count > 0)
        {
            return false;
        }

        NftCommand.Apply($"delete table {NftRuleset.Table}\n");
        return true;
    }

    /// <summary>The bridge's link, or null when it does not exist.</summary>
    public static LinkInfo? Find(string bridge)
    {
        using var socket = NetlinkSocket.Open();
        return new Rtnetlink(socket).GetLink(bridge);
    }

    /// <summary>Parses "10.88.0.0/16" as IPv4 subnet, for callers holding strings.</summary>
    public static IPNetwork ParseSubnet(string cidr) => IPNetwork.Parse(cidr);
}
