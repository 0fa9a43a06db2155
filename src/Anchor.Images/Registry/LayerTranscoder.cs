using System.IO.Compression;
using Anchor.Images.Layers;
using Anchor.Oci;

namespace Anchor.Images.Registry;

/// <summary>
/// A layer blob in another compression for one push (<c>--compression-format</c>): decompressed
/// whatever it is (by its magic bytes, <see cref="Decompressor"/>) and compressed again into a blob of
/// the store. zlib's and zstd's output for the same input and level are the same bytes, so pushing
/// twice with the same flags gives the same digests; nothing refers to these blobs afterwards, so
/// the push's writer lease collects them when it ends.
/// </summary>
internal static class LayerTranscoder
{
    public static (Digest Digest, long Size) Transcode(ImageStore store, Digest blob, Compression target, int? level)
    {
        var tmp = store.NewTempFile("transcode");
        try
        {
            using (var output = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var input = Decompressor.Open(store.Content.Open(blob), out _))
            using (var compressor = Compressor(output, target, level))
            {
                input.CopyTo(compressor, 1 << 16);
            }

            using var read = File.OpenRead(tmp);
            var digest = store.Content.Write(read);
            return (digest, read.Length);
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    private static Stream Compressor(Stream output, Compression target, int? level) => target switch
    {
        Compression.Gzip when level is { } n => new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = n }, leaveOpen: true),
        Compression.Gzip => new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true),
        // zstd's default level is 3 (zstd.h ZSTD_CLEVEL_DEFAULT), as podman's and containerd's.
        Compression.Zstd => new ZstdSharp.CompressionStream(output, level ?? 3, leaveOpen: true),
        _ => new NonClosingStream(output),
    };
}
