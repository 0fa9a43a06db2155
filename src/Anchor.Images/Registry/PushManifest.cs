using System.Text.Json;
using Anchor.Images.Layers;
using Anchor.Oci;
using Anchor.Oci.Image;

namespace Anchor.Images.Registry;

/// <summary>
/// The manifest a push sends. With no <see cref="PushOptions"/> that change anything it is the stored
/// manifest byte for byte (its digest is the image's). Otherwise the layers are transcoded where
/// their compression is not the one asked for and the media types are OCI's (image-spec
/// media-types.md) or docker's v2 schema 2 (distribution manifest-v2-2.md); the bytes are
/// System.Text.Json's fixed serialisation of the same record, so the same flags give the same digest.
/// </summary>
internal static class PushManifest
{
    public static (byte[] Json, string MediaType, IReadOnlyList<Descriptor> Layers) For(ImageStore store, StoredImage image, PushOptions options, Action<string, string>? progress)
    {
        var stored = image.Manifest;
        var docker = (options.Format ?? (stored.MediaType == MediaTypes.DockerManifest ? PushOptions.V2s2 : PushOptions.Oci)) == PushOptions.V2s2;
        if (docker && (options.Compression == Compression.Zstd || stored.Layers.Any(l => l.MediaType == MediaTypes.OciLayerZstd && options.Compression is null)))
        {
            throw new ImageException("zstd layers cannot be named by docker's v2 schema 2 manifest: push the image with --format oci");
        }

        var layers = new Descriptor[stored.Layers.Count];
        Parallel.For(0, layers.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            layers[i] = Layer(store, stored.Layers[i], docker, options, progress));
        if (options.Format is null && layers.SequenceEqual(stored.Layers))
        {
            // Without --format and with nothing transcoded, the stored manifest goes as it is, even
            // one that mixes OCI and docker media types: its digest is the image's RepoDigest.
            return (store.Content.ReadAll(image.ManifestDigest), stored.MediaType ?? MediaTypes.OciManifest, stored.Layers);
        }

        var manifest = stored with
        {
            MediaType = docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest,
            Config = stored.Config with { MediaType = docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig },
            Layers = layers,
        };
        if (manifest.MediaType == stored.MediaType && manifest.Config == stored.Config && layers.SequenceEqual(stored.Layers))
        {
            return (store.Content.ReadAll(image.ManifestDigest), stored.MediaType ?? MediaTypes.OciManifest, stored.Layers);
        }

        return (JsonSerializer.SerializeToUtf8Bytes(manifest, OciJsonContext.Default.ImageManifest), manifest.MediaType!, layers);
    }

    private static Descriptor Layer(ImageStore store, Descriptor layer, bool docker, PushOptions options, Action<string, string>? progress)
    {
        if (KindOf(layer.MediaType) is not { } current)
        {
            return layer; // A foreign or unknown layer goes as it is.
        }

        var wanted = options.Compression ?? current;
        if (wanted == current)
        {
            return options.Format is null ? layer : layer with { MediaType = MediaTypeOf(current, docker) };
        }

        progress?.Invoke(layer.Digest.Short, "Preparing");
        var (digest, size) = LayerTranscoder.Transcode(store, layer.Digest, wanted, options.Level);
        return layer with { MediaType = MediaTypeOf(wanted, docker), Digest = digest, Size = size };
    }

    private static Compression? KindOf(string mediaType) => mediaType switch
    {
        MediaTypes.OciLayer or MediaTypes.DockerLayer => Compression.None,
        MediaTypes.OciLayerGzip or MediaTypes.DockerLayerGzip => Compression.Gzip,
        MediaTypes.OciLayerZstd => Compression.Zstd,
        _ => null,
    };

    private static string MediaTypeOf(Compression compression, bool docker) => (compression, docker) switch
    {
        (Compression.None, false) => MediaTypes.OciLayer,
        (Compression.None, true) => MediaTypes.DockerLayer,
        (Compression.Gzip, false) => MediaTypes.OciLayerGzip,
        (Compression.Gzip, true) => MediaTypes.DockerLayerGzip,
        _ => MediaTypes.OciLayerZstd,
    };
}
