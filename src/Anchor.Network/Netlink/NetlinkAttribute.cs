using System.Buffers.Binary;
using System.Text;

namespace Anchor.Network.Netlink;

/// <summary>One struct rtattr of a reply: its type (without the nested/byte-order bits) and value.</summary>
public readonly record struct NetlinkAttribute(ushort Type, ReadOnlyMemory<byte> Value)
{
    public uint AsUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Value.Span);

    public int AsInt32() => BinaryPrimitives.ReadInt32LittleEndian(Value.Span);

    /// <summary>A C string attribute, up to its NUL.</summary>
    public string AsString()
    {
        var span = Value.Span;
        var nul = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? span : span[..nul]);
    }

    /// <summary>The attributes of a buffer of struct rtattr (each aligned to 4 bytes); a truncated tail is ignored.</summary>
    public static List<NetlinkAttribute> Parse(ReadOnlyMemory<byte> buffer)
    {
        var attributes = new List<NetlinkAttribute>();
        var offset = 0;
        while (offset + 4 <= buffer.Length)
        {
            var span = buffer.Span[offset..];
            var length = BinaryPrimitives.ReadUInt16LittleEndian(span);
            var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(span[2..]) & Rtnl.NLA_TYPE_MASK);
            if (length < 4 || offset + length > buffer.Length)
            {
                break;
            }

            attributes.Add(new NetlinkAttribute(type, buffer.Slice(offset + 4, length - 4)));
            offset += Rtnl.Align(length);
        }

        return attributes;
    }

    public static NetlinkAttribute? Find(IEnumerable<NetlinkAttribute> attributes, ushort type)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Type == type)
            {
                return attribute;
            }
        }

        return null;
    }
}
