using System.Net;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Network.Netlink;

namespace Anchor.Network;

/// <summary>
/// A container's endpoint on a bridge: a veth pair whose host end (av…) is a port of the bridge
/// and whose other end is born inside the container's network namespace under its final name
/// (eth0, eth1…), with the container's MAC, the host end up; then, through a netlink socket opened
/// inside that namespace, its address, up, and the default route via the gateway. Called while the
/// container's init waits, so the command never sees a half-configured network.
/// </summary>
public static class EndpointPlumber
{
    /// <summary>Plumbs the endpoint; on failure whatever was made is deleted and the error rethrown.</summary>
    public static void Attach(int containerPid, string bridge, string hostVeth, string containerIfName,
        IPAddress address, int prefixLength, IPAddress? gateway, byte[]? mac, bool defaultRoute)
    {
        using (var host = NetlinkSocket.Open())
        {
            var rt = new Rtnetlink(host);
            var bridgeLink = rt.RequireLink(bridge);
            // The host end is created on the bridge and up in the same request.
            CreatePair(rt, hostVeth, containerIfName, containerPid, mac ?? Ipv4.MacFor(address), bridgeLink);
            try
            {
                ConfigureInside(containerPid, containerIfName, address, prefixLength, defaultRoute ? gateway : null);
            }
            catch
            {
                rt.DeleteLink(hostVeth);
                throw;
            }
        }
    }

    /// <summary>The first ethN not yet present in the namespace of <paramref name="containerPid"/> (eth0 for a new container).</summary>
    public static string NextInterfaceName(int containerPid)
    {
        using var inside = NetlinkSocket.OpenIn(containerPid);
        var names = new Rtnetlink(inside).ListLinks().Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        var index = 0;
        while (names.Contains(VethNames.Container(index)))
        {
            index++;
        }

        return VethNames.Container(index);
    }

    /// <summary>
    /// Deletes the pair by its host end; false when it is already gone. Needed for network
    /// disconnect and for a namespace something still holds: when a container's last process
    /// exits, the kernel deletes the pair with the namespace (cleanup_net, asynchronously), which
    /// is why the exit paths do not call this: deleting a link waits for an RCU grace period
    /// (~20 ms here) that every container exit would otherwise pay.
    /// </summary>
    public static bool Detach(string hostVeth)
    {
        using var socket = NetlinkSocket.Open();
        return new Rtnetlink(socket).DeleteLink(hostVeth);
    }

    private static void CreatePair(Rtnetlink rt, string hostVeth, string containerIfName, int pid, byte[] mac, LinkInfo bridge)
    {
        try
        {
            rt.CreateVeth(hostVeth, containerIfName, pid, mac, bridge.Mtu, bridge.Index, up: true);
        }
        catch (LinuxException e) when (e.Errno == LibC.EEXIST && rt.GetLink(hostVeth) is { Kind: "veth" })
        {
            // The host end is a leftover of this same container's previous run (names carry
            // the container ID): replace it.
            rt.DeleteLink(hostVeth);
            rt.CreateVeth(hostVeth, containerIfName, pid, mac, bridge.Mtu, bridge.Index, up: true);
        }
    }

    private static void ConfigureInside(int pid, string ifName, IPAddress address, int prefixLength, IPAddress? gateway)
    {
        using var inside = NetlinkSocket.OpenIn(pid);
        var rt = new Rtnetlink(inside);
        var link = rt.RequireLink(ifName);
        rt.AddAddress(link, address, prefixLength);
        rt.SetUp(link);
        if (gateway is not null)
        {
            rt.AddDefaultRoute(link, gateway);
        }
    }
}
