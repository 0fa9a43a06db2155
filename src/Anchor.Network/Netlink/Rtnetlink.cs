using System.Net;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Network.Netlink;

/// <summary>
/// The link, address and route operations Anchor needs, as rtnetlink(7) requests on one socket
/// (and so in that socket's network namespace). What `ip link add/set/del`, `ip addr add` and
/// `ip route add` send, without the ip command.
/// </summary>
public sealed class Rtnetlink(NetlinkSocket socket)
{
    private const ushort Create = Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL;

    /// <summary>ip link add NAME type bridge.</summary>
    public void CreateBridge(string name) =>
        socket.Request(
            new NetlinkMessage(Rtnl.RTM_NEWLINK, Create).IfInfo(0)
                .Attr(Rtnl.IFLA_IFNAME, name)
                .BeginNested(Rtnl.IFLA_LINKINFO).Attr(Rtnl.IFLA_INFO_KIND, "bridge").EndNested(),
            "create bridge", name);

    /// <summary>
    /// ip link add NAME [master M] [up] type veth peer name PEER netns PID address MAC: one request.
    /// The peer is born in the namespace of <paramref name="peerNetnsPid"/> (IFLA_NET_NS_PID inside
    /// VETH_INFO_PEER, linux/veth.h), so it never exists in ours and its name cannot clash with the
    /// host's interfaces; IFLA_MASTER and IFF_UP are applied to the new host end at creation
    /// (rtnl_newlink_create), so no later request has to name it. The peer cannot be brought up
    /// in the same request (veth_open answers ENOTCONN before the pair is linked).
    /// </summary>
    public void CreateVeth(string name, string peerName, int? peerNetnsPid = null, byte[]? peerMac = null, int mtu = 0, int masterIndex = 0, bool up = false)
    {
        var flags = up ? Rtnl.IFF_UP : 0;
        var message = new NetlinkMessage(Rtnl.RTM_NEWLINK, Create).IfInfo(0, flags, flags).Attr(Rtnl.IFLA_IFNAME, name);
        if (mtu > 0)
        {
            message.Attr(Rtnl.IFLA_MTU, (uint)mtu);
        }

        if (masterIndex > 0)
        {
            message.Attr(Rtnl.IFLA_MASTER, (uint)masterIndex);
        }

        message.BeginNested(Rtnl.IFLA_LINKINFO).Attr(Rtnl.IFLA_INFO_KIND, "veth")
            .BeginNested(Rtnl.IFLA_INFO_DATA)
            .BeginNested(Rtnl.VETH_INFO_PEER).IfInfo(0).Attr(Rtnl.IFLA_IFNAME, peerName);
        if (peerNetnsPid is { } pid)
        {
            message.Attr(Rtnl.IFLA_NET_NS_PID, (uint)pid);
        }

        if (peerMac is not null)
        {
            message.Attr(Rtnl.IFLA_ADDRESS, peerMac);
        }

        if (mtu > 0)
        {
            message.Attr(Rtnl.IFLA_MTU, (uint)mtu);
        }

        message.EndNested().EndNested().EndNested();
        socket.Request(message, "create veth", name);
    }

    /// <summary>ip link set INDEX master MASTER (0 releases it).</summary>
    public void SetMaster(LinkInfo link, int masterIndex) =>
        Set(link, "set master", m => m.Attr(Rtnl.IFLA_MASTER, (uint)masterIndex));

    /// <summary>ip link set up|down: IFF_UP in ifi_flags, selected by ifi_change.</summary>
    public void SetUp(LinkInfo link, bool up = true) =>
        socket.Request(new NetlinkMessage(Rtnl.RTM_SETLINK, 0).IfInfo(link.Index, up ? Rtnl.IFF_UP : 0, Rtnl.IFF_UP), up ? "set up" : "set down", link.Name);

    public void SetMtu(LinkInfo link, int mtu) => Set(link, "set mtu", m => m.Attr(Rtnl.IFLA_MTU, (uint)mtu));

    public void SetMac(LinkInfo link, byte[] mac) => Set(link, "set address", m => m.Attr(Rtnl.IFLA_ADDRESS, mac));

    /// <summary>ip link set NAME name NEW (the link must be down).</summary>
    public void Rename(LinkInfo link, string newName) => Set(link, "rename", m => m.Attr(Rtnl.IFLA_IFNAME, newName));

    /// <summary>ip addr add ADDRESS/PREFIX broadcast + dev LINK; false when the address was already there.</summary>
    public bool AddAddress(LinkInfo link, IPAddress address, int prefixLength)
    {
        var message = new NetlinkMessage(Rtnl.RTM_NEWADDR, Create)
            .IfAddr(LibC.AF_INET, (byte)prefixLength, link.Index)
            .Attr(Rtnl.IFA_LOCAL, address)
            .Attr(Rtnl.IFA_ADDRESS, address);
        if (prefixLength < 31)
        {
            message.Attr(Rtnl.IFA_BROADCAST, Ipv4.Broadcast(address, prefixLength));
        }

        try
        {
            socket.Request(message, "add address", $"{address}/{prefixLength} dev {link.Name}");
            return true;
        }
        catch (LinuxException e) when (e.Errno == LibC.EEXIST)
        {
            return false;
        }
    }

    /// <summary>ip route add default via GATEWAY dev LINK.</summary>
    public void AddDefaultRoute(LinkInfo link, IPAddress gateway) =>
        socket.Request(
            new NetlinkMessage(Rtnl.RTM_NEWROUTE, Create).RtMsg(LibC.AF_INET, 0)
                .Attr(Rtnl.RTA_GATEWAY, gateway)
                .Attr(Rtnl.RTA_OIF, (uint)link.Index),
            "add default route", $"via {gateway} dev {link.Name}");

    /// <summary>ip link del NAME; false when there is no such link. Deleting either end of a veth deletes both.</summary>
    public bool DeleteLink(string name)
    {
        try
        {
            socket.Request(new NetlinkMessage(Rtnl.RTM_DELLINK, 0).IfInfo(0).Attr(Rtnl.IFLA_IFNAME, name), "delete link", name);
            return true;
        }
        catch (LinuxException e) when (e.Errno == LibC.ENODEV)
        {
            return false;
        }
    }

    public LinkInfo? GetLink(string name) =>
        Get(new NetlinkMessage(Rtnl.RTM_GETLINK, 0).IfInfo(0).Attr(Rtnl.IFLA_IFNAME, name), name);

    public LinkInfo? GetLink(int index) =>
        Get(new NetlinkMessage(Rtnl.RTM_GETLINK, 0).IfInfo(index), $"index {index}");

    /// <summary>ip link show: every link of the namespace (an NLM_F_DUMP).</summary>
    public List<LinkInfo> ListLinks() =>
        socket.Query(new NetlinkMessage(Rtnl.RTM_GETLINK, Rtnl.NLM_F_DUMP).IfInfo(0), "list links", null)
            .Select(LinkInfo.Parse).ToList();

    public LinkInfo RequireLink(string name) =>
        GetLink(name) ?? throw new LinuxException(LibC.ENODEV, "find link", name);

    private LinkInfo? Get(NetlinkMessage message, string subject)
    {
        try
        {
            var replies = socket.Query(message, "get link", subject);
            return replies.Count == 0 ? null : LinkInfo.Parse(replies[0]);
        }
        catch (LinuxException e) when (e.Errno == LibC.ENODEV)
        {
            return null;
        }
    }

    private void Set(LinkInfo link, string operation, Action<NetlinkMessage> attributes)
    {
        var message = new NetlinkMessage(Rtnl.RTM_SETLINK, 0).IfInfo(link.Index);
        attributes(message);
        socket.Request(message, operation, link.Name);
    }
}
