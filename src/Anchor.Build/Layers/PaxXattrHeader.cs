using System.Globalization;
using System.Text;
using Anchor.Images.Layers;

namespace Anchor.Build.Layers;

/// <summary>
/// A PAX extended header ('x', POSIX.1-2001 pax) carrying <c>SCHILY.xattr.NAME</c> records byte for
/// byte, written ahead of the entry it describes. System.Formats.Tar takes extended attributes as
/// strings and writes them as UTF-8, which corrupts binary values such as security.capability
/// (struct vfs_cap_data, capabilities(7)), so this one header block is written by hand; Go's
/// archive/tar (docker's writer) keeps the bytes as they are.
/// </summary>
internal static class PaxXattrHeader
{
    private const int Block = 512;

    /// <param name="entryName">The entry's name: the header is named PaxHeaders.0/BASENAME, as Go names its own.</param>
    public static void Write(Stream output, string entryName, IReadOnlyList<(string Name, byte[] Value)> xattrs)
    {
        var records = new MemoryStream();
        foreach (var (name, value) in xattrs)
        {
            records.Write(PaxRecords.Format(PaxRecords.XattrPrefix + name, value));
        }

        var header = new byte[Block];
        var baseName = entryName.TrimEnd('/');
        baseName = baseName[(baseName.LastIndexOf('/') + 1)..];
        Field(header, 0, 100, Truncate("PaxHeaders.0/" + baseName, 100));
        Field(header, 100, 8, "0000644");
        Field(header, 108, 8, "0000000");
        Field(header, 116, 8, "0000000");
        Field(header, 124, 12, Convert.ToString(records.Length, 8).PadLeft(11, '0'));
        Field(header, 136, 12, "00000000000");
        header[156] = (byte)'x';
        Field(header, 257, 6, "ustar");
        header[263] = (byte)'0';
        header[264] = (byte)'0';

        // The checksum: the sum of the header's bytes with its own field read as eight spaces (tar(5)).
        "        "u8.CopyTo(header.AsSpan(148, 8));
        var sum = 0;
        foreach (var b in header)
        {
            sum += b;
        }

        Field(header, 148, 7, Convert.ToString(sum, 8).PadLeft(6, '0'));
        header[155] = (byte)' ';
        output.Write(header);
        output.Write(records.GetBuffer(), 0, (int)records.Length);
        var pad = (int)((Block - (records.Length % Block)) % Block);
        output.Write(new byte[pad]);
    }

    /// <summary>An ASCII field, NUL-padded (the last byte stays NUL where the value leaves room).</summary>
    private static void Field(byte[] header, int offset, int length, string value) =>
        Encoding.UTF8.GetBytes(value.Length > length ? value[..length] : value).CopyTo(header, offset);

    private static string Truncate(string value, int bytes)
    {
        while (Encoding.UTF8.GetByteCount(value) > bytes)
        {
            value = value[..^1];
        }

        return value;
    }
}
