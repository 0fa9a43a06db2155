using System.Globalization;

namespace Anchor.Engine.Networks;

/// <summary>
/// The IPv4 subnets the host already routes (its interfaces' networks), from /proc/net/route, so an
/// automatic subnet never shadows the host's own LAN. No `ip` command: the kernel's table is a file.
/// </summary>
public static class HostRoutes
{
    public static IReadOnlyList<Cidr> Read(string path = "/proc/net/route")
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>
    /// Columns: Iface Destination Gateway Flags RefCnt Use Metric Mask …; addresses are hex in the
    /// kernel's (little-endian) byte order. The default route (mask 0) covers everything and is skipped.
    /// </summary>
    public static IReadOnlyList<Cidr> Parse(string table)
    {
        var routes = new List<Cidr>();
        foreach (var line in table.Split('\n').Skip(1))
        {
            var fields = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8
                || !uint.TryParse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var destination)
                || !uint.TryParse(fields[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)
                || mask == 0)
            {
                continue;
            }

            var hostMask = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(mask);
            var prefix = System.Numerics.BitOperations.PopCount(hostMask);
            routes.Add(new Cidr(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(destination) & hostMask, prefix));
        }

        return routes;
    }
}
