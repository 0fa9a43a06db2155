using System.Globalization;

namespace Anchor.Engine.Networks;

/// <summary>An IPv4 subnet: the network address (host bits cleared) and the prefix length.</summary>
public readonly record struct Cidr(uint Network, int PrefixLength)
{
    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    public uint Broadcast => Network | ~Mask;

    /// <summary>The lowest usable host address; docker's default gateway.</summary>
    public uint FirstHost => PrefixLength >= 31 ? Network : Network + 1;

    public bool Contains(uint address) => (address & Mask) == Network;

    /// <summary>Two subnets overlap when either contains the other's network address.</summary>
    public bool Overlaps(Cidr other) => Contains(other.Network) || other.Contains(Network);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Ipv4.Format(Network)}/{PrefixLength}");

    /// <summary>
    /// Parses A.B.C.D/N. Host bits set are cleared, as docker does for --subnet 10.1.2.3/24. Errors are
    /// docker's: net.ParseCIDR's "invalid CIDR address: X" behind moby's "Invalid subnet %s : %v".
    /// </summary>
    public static Cidr Parse(string text)
    {
        if (!TryParse(text, out var cidr))
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Invalid subnet {text} : invalid CIDR address: {text}");
        }

        return cidr;
    }

    public static bool TryParse(string text, out Cidr cidr)
    {
        cidr = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !Ipv4.TryParse(text[..slash], out var address))
        {
            return false;
        }

        var bits = text[(slash + 1)..];
        if (bits.Length is 0 or > 2 || !bits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var prefix = int.Parse(bits, CultureInfo.InvariantCulture);
        if (prefix > 32)
        {
            return false;
        }

        var probe = new Cidr(0, prefix);
        cidr = new Cidr(address & probe.Mask, prefix);
        return true;
    }
}
