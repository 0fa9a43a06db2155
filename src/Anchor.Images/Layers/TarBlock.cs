namespace Anchor.Images.Layers;

/// <summary>
/// The 512-byte header block of a tar archive (POSIX.1-2001 ustar, GNU tar's "Basic Tar Format"):
/// numeric fields in octal or in GNU's base-256 form, and the header checksum (the byte sum with
/// the checksum field counted as spaces).
/// </summary>
internal static class TarBlock
{
    public const int Size = 512;
    public const int TypeFlag = 156;

    private const int ChecksumOffset = 148;
    private const int ChecksumLength = 8;

    /// <summary>A data size rounded up to whole blocks.</summary>
    public static long Padded(long size) => (size + Size - 1) / Size * Size;

    /// <summary>The header's size field (offset 124, 12 bytes).</summary>
    public static bool TryParseSize(ReadOnlySpan<byte> header, out long size) => TryParseNumber(header.Slice(124, 12), out size);

    /// <summary>A numeric field: octal digits (space or NUL padded), or base-256 when the high bit of the first byte is set.</summary>
    public static bool TryParseNumber(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            // GNU base-256 encoding, for values that do not fit in the octal digits; negative values are refused.
            if ((field[0] & 0x40) != 0)
            {
                return false;
            }

            value = field[0] & 0x3F;
            for (var i = 1; i < field.Length; i++)
            {
                if (value > (long.MaxValue >> 8))
                {
                    return false;
                }

                value = (value << 8) | field[i];
            }

            return true;
        }

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

            if (b is < (byte)'0' or > (byte)'7' || value > (long.MaxValue >> 3))
            {
                return false;
            }

            value = (value * 8) + (b - '0');
            any = true;
        }

        return any;
    }

    public static bool ChecksumValid(ReadOnlySpan<byte> header) =>
        TryParseNumber(header.Slice(ChecksumOffset, ChecksumLength), out var stored) && stored == Checksum(header);

    /// <summary>Stores the checksum of the header as GNU tar does: six octal digits, NUL, space.</summary>
    public static void WriteChecksum(Span<byte> header)
    {
        var sum = Checksum(header);
        WriteOctal(header.Slice(ChecksumOffset, 7), sum);
        header[ChecksumOffset + 7] = (byte)' ';
    }

    /// <summary>Zero-padded octal digits filling the field but its last byte, which is NUL.</summary>
    public static void WriteOctal(Span<byte> field, long value)
    {
        field[^1] = 0;
        for (var i = field.Length - 2; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }
    }

    private static long Checksum(ReadOnlySpan<byte> header)
    {
        long sum = 0;
        for (var i = 0; i < Size; i++)
        {
            sum += i is >= ChecksumOffset and < ChecksumOffset + ChecksumLength ? (byte)' ' : header[i];
        }

        return sum;
    }
}
