using System.Text;

namespace Anchor.Images.Tests;

/// <summary>Hand-made ustar blocks, for archives TarWriter refuses to write (binary PAX values, hostile names).</summary>
public static class RawTar
{
    public static byte[] Header(string name, char type, long size = 0, int mode = 0x1A4, string link = "")
    {
        var h = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(h, 0);
        Octal(h, 100, 8, mode);
        Octal(h, 108, 8, 0);
        Octal(h, 116, 8, 0);
        Octal(h, 124, 12, size);
        Octal(h, 136, 12, 1577934245);
        h[156] = (byte)type;
        Encoding.ASCII.GetBytes(link).CopyTo(h, 157);
        "ustar\0"u8.CopyTo(h.AsSpan(257));
        "00"u8.CopyTo(h.AsSpan(263));
        for (var i = 148; i < 156; i++)
        {
            h[i] = (byte)' ';
        }

        var sum = 0;
        foreach (var b in h)
        {
            sum += b;
        }

        Octal(h, 148, 7, sum);
        return h;
    }

    public static byte[] PaxRecord(string key, byte[] value)
    {
        var body = Encoding.UTF8.GetBytes(" " + key + "=").Concat(value).Append((byte)'\n').ToArray();
        var length = body.Length + 1;
        while ((length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "").Length + body.Length != length)
        {
            length++;
        }

        return Encoding.ASCII.GetBytes(length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Concat(body).ToArray();
    }

    public static void Write(Stream s, string name, char type, byte[] data, int mode = 0x1A4, string link = "")
    {
        s.Write(Header(name, type, data.Length, mode, link));
        s.Write(data);
        s.Write(new byte[(512 - (data.Length % 512)) % 512]);
    }

    public static void End(Stream s) => s.Write(new byte[1024]);

    private static void Octal(byte[] h, int offset, int length, long value)
    {
        var s = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        Encoding.ASCII.GetBytes(s).CopyTo(h, offset);
    }
}
