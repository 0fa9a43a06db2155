using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Anchor.Network.Netlink;

/// <summary>
/// One netlink request as the kernel reads it (netlink(7)): struct nlmsghdr, the family's fixed
/// header (ifinfomsg, ifaddrmsg or rtmsg, rtnetlink(7)), then struct rtattr attributes, each
/// padded to 4 bytes; a nested attribute's length covers its children. Host byte order throughout,
/// except addresses, which are in network order as in the kernel's structures.
/// </summary>
public sealed class NetlinkMessage
{
    private readonly Stack<int> _nests = new();
    private byte[] _buffer = new byte[256];
    private int _length;

    public NetlinkMessage(ushort type, ushort flags)
    {
        Type = type;
        Flags = flags;
        Reserve(Rtnl.NLMSG_HDRLEN);
    }

    public ushort Type { get; }

    public ushort Flags { get; }

    /// <summary>struct ifinfomsg: family, type (ARPHRD_*), index, flags and the mask of flags to change.</summary>
    public NetlinkMessage IfInfo(int index, uint flags = 0, uint change = 0, byte family = 0)
    {
        var span = Reserve(Rtnl.IFINFOMSG_LEN);
        span[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], change);
        return this;
    }

    /// <summary>struct ifaddrmsg: family, prefix length, flags, scope, interface index.</summary>
    public NetlinkMessage IfAddr(byte family, byte prefixLength, int index, byte scope = Rtnl.RT_SCOPE_UNIVERSE)
    {
        var span = Reserve(Rtnl.IFADDRMSG_LEN);
        span[0] = family;
        span[1] = prefixLength;
        span[3] = scope;
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], index);
        return this;
    }

    /// <summary>struct rtmsg for a unicast route in the main table.</summary>
    public NetlinkMessage RtMsg(byte family, byte destinationLength, byte protocol = Rtnl.RTPROT_BOOT)
    {
        var span = Reserve(Rtnl.RTMSG_LEN);
        span[0] = family;
        span[1] = destinationLength;
        span[4] = Rtnl.RT_TABLE_MAIN;
        span[5] = protocol;
        span[6] = Rtnl.RT_SCOPE_UNIVERSE;
        span[7] = Rtnl.RTN_UNICAST;
        return this;
    }

    public NetlinkMessage Attr(ushort type, ReadOnlySpan<byte> value)
    {
        var span = Reserve(Rtnl.Align(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        value.CopyTo(span[4..]);
        return this;
    }

    public NetlinkMessage Attr(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Attr(type, bytes);
    }

    /// <summary>A C string attribute (NLA_STRING, NUL included, as iproute2 sends names).</summary>
    public NetlinkMessage Attr(ushort type, string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return Attr(type, bytes);
    }

    public NetlinkMessage Attr(ushort type, IPAddress address) => Attr(type, address.GetAddressBytes());

    /// <summary>Opens a nested attribute; every attribute until <see cref="EndNested"/> is inside it.</summary>
    public NetlinkMessage BeginNested(ushort type)
    {
        _nests.Push(_length);
        var span = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)(type | Rtnl.NLA_F_NESTED));
        return this;
    }

    public NetlinkMessage EndNested()
    {
        var start = _nests.Pop();
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(_length - start));
        return this;
    }

    /// <summary>The finished message with its header: total length, type, flags, sequence, port 0.</summary>
    public byte[] Encode(uint sequence, ushort extraFlags = 0)
    {
        if (_nests.Count != 0)
        {
            throw new InvalidOperationException("a nested netlink attribute was not closed");
        }

        var bytes = _buffer.AsSpan(0, _length).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)_length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), Type);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), (ushort)(Flags | extraFlags | Rtnl.NLM_F_REQUEST));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), sequence);
        return bytes;
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        span.Clear();
        _length += count;
        return span;
    }
}
