using System.IO.Compression;

namespace Anchor.Images.Layers;

/// <summary>
/// Detects the compression of a layer by its magic bytes (media types cannot be trusted, e.g. docker's
/// layer.tar inside a gzip archive) and returns a stream of the uncompressed bytes.
/// gzip: 1f 8b (RFC 1952 2.3.1); zstd: 28 b5 2f fd (RFC 8878 3.1.1).
/// </summary>
public static class Decompressor
{
    public static Compression Detect(ReadOnlySpan<byte> head) =>
        head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B ? Compression.Gzip
        : head.Length >= 4 && head[0] == 0x28 && head[1] == 0xB5 && head[2] == 0x2F && head[3] == 0xFD ? Compression.Zstd
        : Compression.None;

    /// <summary>Wraps <paramref name="raw"/> (which the returned stream owns) in the right decompressor.</summary>
    public static Stream Open(Stream raw, out Compression compression)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var head = new byte[4];
        var got = 0;
        while (got < head.Length)
        {
            var n = raw.Read(head, got, head.Length - got);
            if (n == 0)
            {
                break;
            }

            got += n;
        }

        compression = Detect(head.AsSpan(0, got));
        var whole = new PrefixedStream(head.AsMemory(0, got), raw);
        return compression switch
        {
            Compression.Gzip => new GZipStream(whole, CompressionMode.Decompress),
            Compression.Zstd => new ZstdSharp.DecompressionStream(whole),
            _ => whole,
        };
    }
}
