using System.Buffers.Binary;

namespace Anchor.Network.Netlink;

/// <summary>
/// The payload of an NLMSG_ERROR (struct nlmsgerr, netlink(7)): error is 0 for an ack or -errno,
/// then the request's header (its whole body unless NLM_F_CAPPED), then with NLM_F_ACK_TLVS the
/// extended-ack attributes, of which NLMSGERR_ATTR_MSG is the kernel's explanation.
/// </summary>
public readonly record struct NetlinkError(int Errno, string? Message)
{
    public static NetlinkError From(ReadOnlyMemory<byte> payload, ushort flags)
    {
        var errno = -BinaryPrimitives.ReadInt32LittleEndian(payload.Span);
        string? message = null;
        if (errno != 0 && (flags & Rtnl.NLM_F_ACK_TLVS) != 0 && payload.Length >= 4 + Rtnl.NLMSG_HDRLEN)
        {
            var echoed = (flags & Rtnl.NLM_F_CAPPED) != 0
                ? Rtnl.NLMSG_HDRLEN
                : (int)BinaryPrimitives.ReadUInt32LittleEndian(payload.Span[4..]);
            var start = 4 + Rtnl.Align(echoed);
            if (start <= payload.Length)
            {
                message = NetlinkAttribute.Find(NetlinkAttribute.Parse(payload[start..]), Rtnl.NLMSGERR_ATTR_MSG)?.AsString();
            }
        }

        return new NetlinkError(errno, message);
    }
}
