using System.Globalization;

namespace Anchor.Images.Layers;

/// <summary>
/// Where the data of a GNU sparse file goes (GNU tar manual, "Storing Sparse Files"): the regions
/// (offset, length) that hold data, in order, and the real size of the file; everything else is a
/// hole. The archive stores only the regions' bytes, one after the other.
/// </summary>
internal sealed class SparseMap(List<(long Offset, long Length)> regions, long realSize)
{
    /// <summary>More regions than any real file has: a bound on what a hostile map can make us hold.</summary>
    public const int MaxRegions = 1 << 20;

    public IReadOnlyList<(long Offset, long Length)> Regions => regions;

    public long RealSize => realSize;

    /// <summary>The sum of the regions' lengths: what the archive stores.</summary>
    public long DataLength => regions.Sum(r => r.Length);

    /// <summary>
    /// Whether the regions are in order, do not overlap, lie within the real size, and account for
    /// exactly <paramref name="dataLength"/> stored bytes (the rules of Go's archive/tar,
    /// validateSparseEntries, and its checks for missing or unreferenced data).
    /// </summary>
    public bool IsValid(long dataLength)
    {
        if (realSize < 0)
        {
            return false;
        }

        long end = 0;
        long total = 0;
        foreach (var (offset, length) in regions)
        {
            if (offset < 0 || length < 0 || offset > long.MaxValue - length || offset < end || offset + length > realSize)
            {
                return false;
            }

            end = offset + length;
            total += length;
        }

        return total == dataLength;
    }

    /// <summary>
    /// A map written as decimal numbers, offset then length for each region (format 0.1's
    /// <c>GNU.sparse.map</c> is comma-separated); null when it is not such a list.
    /// </summary>
    public static SparseMap? Parse(string numbers, char separator, long realSize)
    {
        var regions = new List<(long, long)>();
        if (numbers.Length == 0)
        {
            return new SparseMap(regions, realSize);
        }

        var parts = numbers.Split(separator);
        if (parts.Length % 2 != 0 || parts.Length / 2 > MaxRegions)
        {
            return null;
        }

        for (var i = 0; i < parts.Length; i += 2)
        {
            if (!TryParseDecimal(parts[i], out var offset) || !TryParseDecimal(parts[i + 1], out var length))
            {
                return null;
            }

            regions.Add((offset, length));
        }

        return new SparseMap(regions, realSize);
    }

    /// <summary>
    /// Format 1.0's map, read from the start of the entry's data: decimal numbers each ending with
    /// '\n' (the number of regions, then offset and length of each), padded with NULs to a block.
    /// <paramref name="mapBytes"/> is what it took (whole blocks); null when it is not such a map.
    /// </summary>
    public static SparseMap? Read(Stream data, long realSize, out long mapBytes)
    {
        mapBytes = 0;
        var block = new byte[TarBlock.Size];
        var numbers = new List<long>();
        long? count = null;
        long current = 0;
        var digits = 0;
        while (count is null || numbers.Count < count * 2)
        {
            data.ReadExactly(block);
            mapBytes += block.Length;
            foreach (var b in block)
            {
                if (b is >= (byte)'0' and <= (byte)'9' && digits < 18)
                {
                    current = (current * 10) + (b - '0');
                    digits++;
                    continue;
                }

                if (b != '\n' || digits == 0)
                {
                    return null;
                }

                if (count is null)
                {
                    count = current;
                    if (count > MaxRegions)
                    {
                        return null;
                    }
                }
                else
                {
                    numbers.Add(current);
                }

                current = 0;
                digits = 0;
                if (numbers.Count == count * 2)
                {
                    break; // The rest of the block is padding.
                }
            }
        }

        var regions = new List<(long, long)>(numbers.Count / 2);
        for (var i = 0; i < numbers.Count; i += 2)
        {
            regions.Add((numbers[i], numbers[i + 1]));
        }

        return new SparseMap(regions, realSize);
    }

    /// <summary>Digits only, as GNU tar writes them (no sign, no spaces).</summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        return s.Length > 0 && !s.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
