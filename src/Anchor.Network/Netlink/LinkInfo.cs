using System.Buffers.Binary;

namespace Anchor.Network.Netlink;

/// <summary>
/// A network interface as RTM_NEWLINK describes it (rtnetlink(7)): index, name, kind from
/// IFLA_LINKINFO ("bridge", "veth"; null for physical devices), master index, flags, MTU, MAC,
/// and the namespace ID of its peer when that lives in another namespace (IFLA_LINK_NETNSID).
/// </summary>
public sealed record LinkInfo(int Index, string Name, string? Kind, int Master, uint Flags, int Mtu, byte[]? Mac, int? PeerNetnsId)
{

    public bool IsUp => (Flags & Rtnl.IFF_UP) != 0;

    /// <summary>Parses the payload of an RTM_NEWLINK reply: struct ifinfomsg, then its attributes.</summary>
    public static LinkInfo Parse(ReadOnlyMemory<byte> payload)
    {
        var span = payload.Span;
        var index = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
        string name = "", kind = "";
        int master = 0, mtu = 0;
        byte[]? mac = null;
        int? peerNetnsId = null;
        foreach (var attribute in NetlinkAttribute.Parse(payload[Rtnl.IFINFOMSG_LEN..]))
        {
            switch (attribute.Type)
            {
                case Rtnl.IFLA_IFNAME:
                    name = attribute.AsString();
                    break;
                case Rtnl.IFLA_MTU:
                    mtu = attribute.AsInt32();
                    break;
                case Rtnl.IFLA_MASTER:
                    master = attribute.AsInt32();
                    break;
                case Rtnl.IFLA_ADDRESS:
                    mac = attribute.Value.ToArray();
                    break;
                case Rtnl.IFLA_LINK_NETNSID:
                    peerNetnsId = attribute.AsInt32();
                    break;
                case Rtnl.IFLA_LINKINFO:
                    kind = NetlinkAttribute.Find(NetlinkAttribute.Parse(attribute.Value), Rtnl.IFLA_INFO_KIND)?.AsString() ?? "";
                    break;
                default:
                    break;
            }
        }

        return new LinkInfo(index, name, kind.Length == 0 ? null : kind, master, flags, mtu, mac, peerNetnsId);
    }
}
