using System.Globalization;

namespace Anchor.Engine.Networks;

/// <summary>IPv4 addresses as host-order 32-bit numbers: parsing and formatting without System.Net's IPv6 and shorthand forms.</summary>
public static class Ipv4
{
    /// <summary>Dotted quad only (Go's net.ParseIP for IPv4): "10.1" or "010.0.0.1" are not addresses.</summary>
    public static bool TryParse(string text, out uint address)
    {
        address = 0;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0') || !part.All(char.IsAsciiDigit))
            {
                return false;
            }

            var value = int.Parse(part, CultureInfo.InvariantCulture);
            if (value > 255)
            {
                return false;
            }

            address = (address << 8) | (uint)value;
        }

        return true;
    }

    public static string Format(uint address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}");
}
