using System.Globalization;

namespace Anchor.Engine.Units;

/// <summary>
/// Sizes such as 32m, 1.5g, 512k or 1048576, with binary multiples, as docker's --memory reads them
/// (go-units RAMInBytes: an optional b suffix, case-insensitive).
/// </summary>
public static class ByteSize
{
    public static bool TryParse(string value, out long bytes)
    {
        bytes = 0;
        var s = value.Trim().ToLowerInvariant();
        if (s.EndsWith('b'))
        {
            s = s[..^1];
        }

        long multiplier = 1;
        if (s.Length > 0 && "kmgtp".Contains(s[^1], StringComparison.Ordinal))
        {
            multiplier = s[^1] switch
            {
                'k' => 1L << 10,
                'm' => 1L << 20,
                'g' => 1L << 30,
                't' => 1L << 40,
                _ => 1L << 50,
            };
            s = s[..^1];
        }

        if (s.Length == 0 || !decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var total = number * multiplier;
        if (total > long.MaxValue)
        {
            return false;
        }

        bytes = (long)total;
        return true;
    }

    /// <summary>docker's human sizes for listings and I/O: 4.26MB, 1.2GB (go-units HumanSizeWithPrecision, "%.3g" of decimal units).</summary>
    public static string Human(long bytes) => Scaled(bytes, 1000, ["B", "kB", "MB", "GB", "TB", "PB", "EB"], "G3");

    /// <summary>go-units HumanSize ("%.4g" of decimal units): system df's sizes and "Total reclaimed space", 16.43MB.</summary>
    public static string HumanFour(long bytes) => Scaled(bytes, 1000, ["B", "kB", "MB", "GB", "TB", "PB", "EB"], "G4");

    /// <summary>docker's memory sizes (go-units BytesSize, "%.4g" of binary units): 1.539MiB, 15.55GiB.</summary>
    public static string Binary(long bytes) => Scaled(bytes, 1024, ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"], "G4");

    private static string Scaled(long bytes, double unitBase, string[] units, string format)
    {
        double size = bytes;
        var unit = 0;
        while (size >= unitBase && unit < units.Length - 1)
        {
            size /= unitBase;
            unit++;
        }

        // Go's %g writes a lower-case exponent (999.7kB is "1e+03kB"); .NET's G writes "1E+03".
        return size.ToString(format, CultureInfo.InvariantCulture).ToLowerInvariant() + units[unit];
    }
}
