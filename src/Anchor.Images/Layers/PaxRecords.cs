using System.Text;

namespace Anchor.Images.Layers;

/// <summary>
/// Reads <c>SCHILY.xattr.*</c> values byte for byte from a raw PAX extended header (POSIX.1-2001 pax
/// "pax Extended Header": records <c>"%d %s=%s\n"</c>, the length counting the whole record).
/// TarReader exposes these values only as UTF-8-decoded strings, which corrupts binary values such
/// as security.capability, so the header block is located again in the bytes the reader consumed.
/// </summary>
internal static class PaxRecords
{
    public const string XattrPrefix = "SCHILY.xattr.";
    private const int Block = 512;

    /// <summary>
    /// The xattrs of the last PAX 'x' header found at a block boundary in <paramref name="recorded"/>,
    /// which starts at stream offset <paramref name="recordStart"/>; null when there is none.
    /// </summary>
    public static Dictionary<string, byte[]>? FindXattrs(ReadOnlySpan<byte> recorded, long recordStart)
    {
        var first = (int)((Block - (recordStart % Block)) % Block);
        for (var at = LastBlockStart(recorded.Length, first); at >= first; at -= Block)
        {
            var header = recorded.Slice(at, Block);
            if (header[156] != (byte)'x' || !ChecksumValid(header) || !TryParseSize(header[124..136], out var size))
            {
                continue;
            }

            if (at + Block + size > recorded.Length)
            {
                continue;
            }

            return ParseXattrs(recorded.Slice(at + Block, (int)size));
        }

        return null;
    }

    public static Dictionary<string, byte[]> ParseXattrs(ReadOnlySpan<byte> data)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (data.Length > 0)
        {
            var space = data.IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(data[..space], out var length) || length <= space + 1 || length > data.Length)
            {
                break; // Malformed tail: TarReader has already accepted or rejected the header.
            }

            var record = data[(space + 1)..length];
            data = data[length..];
            if (record.Length > 0 && record[^1] == (byte)'\n')
            {
                record = record[..^1];
            }

            var eq = record.IndexOf((byte)'=');
            if (eq < 0)
            {
                continue;
            }

            var key = Encoding.UTF8.GetString(record[..eq]);
            if (key.StartsWith(XattrPrefix, StringComparison.Ordinal) && key.Length > XattrPrefix.Length)
            {
                result[key[XattrPrefix.Length..]] = record[(eq + 1)..].ToArray();
            }
        }

        return result;
    }

    private static int LastBlockStart(int length, int first)
    {
        if (length - first < Block)
        {
            return -1;
        }

        return first + ((length - first - Block) / Block * Block);
    }

    private static bool ChecksumValid(ReadOnlySpan<byte> header)
    {
        if (!TryParseOctal(header[148..156], out var stored))
        {
            return false;
        }

        long sum = 0;
        for (var i = 0; i < Block; i++)
        {
            sum += i is >= 148 and < 156 ? (byte)' ' : header[i];
        }

        return sum == stored;
    }

    private static bool TryParseSize(ReadOnlySpan<byte> field, out long size)
    {
        if ((field[0] & 0x80) != 0)
        {
            // GNU base-256 encoding for sizes that do not fit in 11 octal digits.
            size = 0;
            for (var i = 1; i < field.Length; i++)
            {
                size = (size << 8) | field[i];
            }

            return size is >= 0 and < int.MaxValue;
        }

        return TryParseOctal(field, out size) && size < int.MaxValue;
    }

    private static bool TryParseOctal(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        var any = false;
        foreach (var b in field)
        {
            if (b is (byte)' ' or 0)
            {
                if (any)
                {
                    break;
                }

                continue;
            }

            if (b is < (byte)'0' or > (byte)'7')
            {
                return false;
            }

            value = (value * 8) + (b - '0');
            any = true;
        }

        return any;
    }
}
