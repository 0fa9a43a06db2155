using System.IO.Compression;
using System.Text.Json;
using Anchor.Oci;
using Anchor.Oci.Image;

namespace Anchor.Images.Registry;

/// <summary>
/// Layers stored as plain tars (built, committed, imported or loaded images) go to a registry
/// gzip-compressed, as docker pushes them: a Debian-based image's 121 MB of tars become ~50 MB. The
/// image's manifest is switched to the compressed blobs once, in the store (the config, and so the
/// image ID, stays): from then on it is what a pulled image is, so a second push sends nothing and
/// gives the same manifest digest, and save reads the blobs through the decompressor as for a pull.
/// Layers are compressed in parallel; zlib's output for the same input and level is the same bytes.
/// </summary>
internal static class PushCompression
{
    public static StoredImage Compressed(ImageStore store, StoredImage image, Action<string, string>? progress)
    {
        var layers = image.Manifest.Layers;
        if (!layers.Any(IsPlain))
        {
            return image;
        }

        var docker = image.Manifest.MediaType == MediaTypes.DockerManifest;
        var compressed = new Descriptor[layers.Count];
        Parallel.For(0, layers.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            if (!IsPlain(layers[i]))
            {
                compressed[i] = layers[i];
                return;
            }

            progress?.Invoke(layers[i].Digest.Short, "Preparing");
            compressed[i] = Compress(store, layers[i], docker);
        });

        var manifest = image.Manifest with { Layers = compressed };
        var manifestJson = JsonSerializer.SerializeToUtf8Bytes(manifest, OciJsonContext.Default.ImageManifest);
        return store.Commit(manifestJson, store.Content.ReadAll(image.Id), null, null);
    }

    private static bool IsPlain(Descriptor layer) => layer.MediaType is MediaTypes.OciLayer or MediaTypes.DockerLayer;

    private static Descriptor Compress(ImageStore store, Descriptor layer, bool docker)
    {
        // Through a file of this process in the store's tmp/ (reclaimed if the push is killed).
        var tmp = store.NewTempFile("gzip");
        try
        {
            using (var output = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
            using (var input = store.Content.Open(layer.Digest))
            {
                input.CopyTo(gzip, 1 << 16);
            }

            using var read = File.OpenRead(tmp);
            var digest = store.Content.Write(read);
            return layer with
            {
                MediaType = docker ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip,
                Digest = digest,
                Size = read.Length,
            };
        }
        finally
        {
            File.Delete(tmp);
        }
    }
}
