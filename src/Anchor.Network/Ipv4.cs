using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Anchor.Network;

/// <summary>IPv4 arithmetic on addresses and prefixes (network byte order in the address bytes).</summary>
public static class Ipv4
{
    public static uint ToUInt32(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork
            ? BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes())
            : throw new ArgumentException($"{address} is not an IPv4 address", nameof(address));

    public static IPAddress FromUInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    public static uint Mask(int prefixLength) => prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);

    /// <summary>The last address of the prefix (all host bits set).</summary>
    public static IPAddress Broadcast(IPAddress address, int prefixLength) =>
        FromUInt32(ToUInt32(address) | ~Mask(prefixLength));

    /// <summary>docker's MAC for a container address: 02:42 followed by the four address bytes.</summary>
    public static byte[] MacFor(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return [0x02, 0x42, bytes[0], bytes[1], bytes[2], bytes[3]];
    }

    public static string FormatMac(byte[] mac) => string.Join(':', mac.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
