using System.Globalization;
using System.Text;

namespace Anchor.Images.Layers;

/// <summary>
/// Reads <c>SCHILY.xattr.*</c> values byte for byte from a raw PAX extended header (POSIX.1-2001 pax
/// "pax Extended Header": records <c>"%d %s=%s\n"</c>, the length counting the whole record).
/// TarReader exposes these values only as UTF-8-decoded strings, which corrupts binary values such
/// as security.capability, so the header block is located again in the bytes the reader consumed.
/// </summary>
public static class PaxRecords
{
    public const string XattrPrefix = "SCHILY.xattr.";
    private const int Block = TarBlock.Size;

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
            if (header[TarBlock.TypeFlag] != (byte)'x' || !TarBlock.ChecksumValid(header) || !TarBlock.TryParseSize(header, out var size) || size >= int.MaxValue)
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
        foreach (var (key, value) in Parse(data))
        {
            if (key.StartsWith(XattrPrefix, StringComparison.Ordinal) && key.Length > XattrPrefix.Length)
            {
                result[key[XattrPrefix.Length..]] = value;
            }
        }

        return result;
    }

    /// <summary>Every record in order, values as raw bytes; a malformed record ends the list.</summary>
    public static List<(string Key, byte[] Value)> Parse(ReadOnlySpan<byte> data)
    {
        var result = new List<(string, byte[])>();
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
            if (eq >= 0)
            {
                result.Add((Encoding.UTF8.GetString(record[..eq]), record[(eq + 1)..].ToArray()));
            }
        }

        return result;
    }

    /// <summary>One record, <c>"%d %s=%s\n"</c>, its length counting its own digits.</summary>
    public static byte[] Format(string key, ReadOnlySpan<byte> value)
    {
        var body = Encoding.UTF8.GetByteCount(key) + value.Length + 3; // space, '=', newline
        var length = body + 1;
        while (length.ToString(CultureInfo.InvariantCulture).Length + body != length)
        {
            length++;
        }

        var record = new byte[length];
        var prefix = Encoding.UTF8.GetBytes(length.ToString(CultureInfo.InvariantCulture) + " " + key + "=");
        prefix.CopyTo(record, 0);
        value.CopyTo(record.AsSpan(prefix.Length));
        record[^1] = (byte)'\n';
        return record;
    }

    private static int LastBlockStart(int length, int first)
    {
        if (length - first < Block)
        {
            return -1;
        }

        return first + ((length - first - Block) / Block * Block);
    }
}
