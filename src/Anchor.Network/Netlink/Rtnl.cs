namespace Anchor.Network.Netlink;

/// <summary>
/// The numbers of netlink(7) and rtnetlink(7), C names kept: linux/netlink.h, linux/rtnetlink.h,
/// linux/if_link.h, linux/if_addr.h, linux/veth.h.
/// </summary>
public static class Rtnl
{
    // struct nlmsghdr: len, type, flags, seq, pid.
    public const int NLMSG_HDRLEN = 16;
    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;

    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_MULTI = 0x2;
    public const ushort NLM_F_ACK = 0x4;
    public const ushort NLM_F_DUMP = 0x300;
    public const ushort NLM_F_REPLACE = 0x100;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;

    /// <summary>In an NLMSG_ERROR reply: extended-ack attributes follow (NETLINK_EXT_ACK).</summary>
    public const ushort NLM_F_ACK_TLVS = 0x200;
    /// <summary>In an NLMSG_ERROR reply: the request was not echoed back (only its header).</summary>
    public const ushort NLM_F_CAPPED = 0x100;
    public const ushort NLMSGERR_ATTR_MSG = 1;

    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_SETLINK = 19;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_GETADDR = 22;
    public const ushort RTM_NEWROUTE = 24;

    // struct ifinfomsg (16 bytes): family, pad, type, index, flags, change.
    public const int IFINFOMSG_LEN = 16;
    public const uint IFF_UP = 0x1;

    public const ushort IFLA_ADDRESS = 1;
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_MTU = 4;
    public const ushort IFLA_MASTER = 10;
    public const ushort IFLA_LINKINFO = 18;
    public const ushort IFLA_NET_NS_PID = 19;
    public const ushort IFLA_NET_NS_FD = 28;
    public const ushort IFLA_LINK_NETNSID = 37;
    public const ushort IFLA_INFO_KIND = 1;
    public const ushort IFLA_INFO_DATA = 2;
    public const ushort VETH_INFO_PEER = 1;

    // struct ifaddrmsg (8 bytes): family, prefixlen, flags, scope, index.
    public const int IFADDRMSG_LEN = 8;
    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort IFA_BROADCAST = 4;

    // struct rtmsg (12 bytes): family, dst_len, src_len, tos, table, protocol, scope, type, flags.
    public const int RTMSG_LEN = 12;
    public const ushort RTA_DST = 1;
    public const ushort RTA_OIF = 4;
    public const ushort RTA_GATEWAY = 5;
    public const byte RT_TABLE_MAIN = 254;
    public const byte RTPROT_BOOT = 3;
    public const byte RT_SCOPE_UNIVERSE = 0;
    public const byte RTN_UNICAST = 1;

    /// <summary>Nested attributes carry this bit in their type (NLA_F_NESTED).</summary>
    public const ushort NLA_F_NESTED = 0x8000;
    public const ushort NLA_TYPE_MASK = 0x3FFF;

    public static int Align(int length) => (length + 3) & ~3;

    public static string MessageName(ushort type) => type switch
    {
        RTM_NEWLINK => "RTM_NEWLINK",
        RTM_DELLINK => "RTM_DELLINK",
        RTM_GETLINK => "RTM_GETLINK",
        RTM_SETLINK => "RTM_SETLINK",
        RTM_NEWADDR => "RTM_NEWADDR",
        RTM_GETADDR => "RTM_GETADDR",
        RTM_NEWROUTE => "RTM_NEWROUTE",
        _ => $"netlink message {type}",
    };
}
