using System.Text.Json;
using Anchor.Oci;
using Anchor.Oci.Image;
using Anchor.Oci.Reference;

namespace Anchor.Images.Archives;

/// <summary>
/// docker load: a docker-archive (docker save: manifest.json, configs, layer tars) or an OCI image
/// layout archive (oci-layout, index.json, blobs/sha256), plain or compressed as a whole. Every
/// layer's DiffID is checked against the config; any failure takes back the blobs and snapshots
/// the load created and commits nothing.
/// </summary>
public sealed class DockerArchiveLoader(ImageStore store)
{
    private const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    private const string ContainerdNameAnnotation = "io.containerd.image.name";

    public IReadOnlyList<LoadedImage> Load(Stream archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        using var lease = store.BeginWrite();
        using var staging = ArchiveStaging.Extract(archive, store.Content.IngestDir);
        var import = new LayerImport(store);
        List<PendingImage> pending;
        try
        {
            // Docker 25+ writes both; manifest.json carries the RepoTags docker load reports.
            pending = staging.Contains("manifest.json") ? FromDockerManifest(staging, import)
                : staging.Contains("index.json") ? FromOciIndex(staging, import)
                : throw new ImageException("invalid archive: no manifest.json or index.json in the archive");
        }
        catch
        {
            import.Rollback();
            throw;
        }

        // Every layer of every image is in place: only now does anything become visible.
        return [.. pending.Select(p => new LoadedImage(store.Commit(p.Manifest, p.Config, p.Tags), p.Tags))];
    }

    private static List<PendingImage> FromDockerManifest(ArchiveStaging staging, LayerImport import)
    {
        List<DockerArchiveManifestEntry>? entries;
        try
        {
            entries = JsonSerializer.Deserialize(staging.ReadAll("manifest.json"), ImagesJsonContext.Default.ListDockerArchiveManifestEntry);
        }
        catch (JsonException e)
        {
            throw new ImageException($"invalid archive: manifest.json: {e.Message}", e);
        }

        var result = new List<PendingImage>();
        foreach (var entry in entries ?? [])
        {
            var configJson = staging.ReadAll(entry.Config);
            var config = ImageStore.ParseConfig(configJson);
            var layers = import.Add(config, [.. entry.Layers.Select(staging.PathOf)]);
            var manifest = new ImageManifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Sha256(configJson), Size = configJson.Length },
                Layers = layers,
            };
            var tags = (entry.RepoTags ?? []).Select(ParseTag).ToList();
            result.Add(new PendingImage(JsonSerializer.SerializeToUtf8Bytes(manifest, OciJsonContext.Default.ImageManifest), configJson, tags));
        }

        return result;
    }

    private static List<PendingImage> FromOciIndex(ArchiveStaging staging, LayerImport import)
    {
        var index = ParseIndex(staging.ReadAll("index.json"));
        var result = new List<PendingImage>();
        foreach (var descriptor in index.Manifests)
        {
            var (manifestDescriptor, manifestJson) = ResolveManifest(staging, descriptor);
            var manifest = ImageStore.ParseManifest(manifestJson);
            var configJson = Blob(staging, manifest.Config.Digest);
            var config = ImageStore.ParseConfig(configJson);
            import.Add(config, [.. manifest.Layers.Select(l => staging.PathOf(BlobName(l.Digest)))]);
            var name = manifestDescriptor.Annotations?.GetValueOrDefault(ContainerdNameAnnotation)
                ?? descriptor.Annotations?.GetValueOrDefault(ContainerdNameAnnotation)
                ?? descriptor.Annotations?.GetValueOrDefault(RefNameAnnotation);
            // A bare ref.name ("latest") has no repository to tag; the image loads untagged.
            List<ImageReference> tags = name is not null && (name.Contains('/', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal))
                && ImageReference.TryParse(name, out var reference, out _) ? [reference] : [];
            result.Add(new PendingImage(manifestJson, configJson, tags));
        }

        return result;
    }

    /// <summary>Follows an index entry to an image manifest, preferring linux/amd64 in a nested index.</summary>
    private static (Descriptor Descriptor, byte[] Json) ResolveManifest(ArchiveStaging staging, Descriptor descriptor)
    {
        for (var depth = 0; depth < 4; depth++)
        {
            var json = Blob(staging, descriptor.Digest);
            if (descriptor.MediaType is not (MediaTypes.OciIndex or MediaTypes.DockerManifestList))
            {
                return (descriptor, json);
            }

            var nested = ParseIndex(json);
            descriptor = nested.Manifests.FirstOrDefault(m => m.Platform is { Os: "linux", Architecture: "amd64" })
                ?? (nested.Manifests.Count > 0 ? nested.Manifests[0] : null)
                ?? throw new ImageException($"invalid archive: index {descriptor.Digest} lists no manifests");
        }

        throw new ImageException("invalid archive: indexes nested too deeply");
    }

    /// <summary>A blob of the layout, verified against its digest (OCI image spec, image-layout.md).</summary>
    private static byte[] Blob(ArchiveStaging staging, Digest digest)
    {
        var data = staging.ReadAll(BlobName(digest));
        var actual = Digest.Sha256(data);
        return actual == digest ? data : throw new ImageException($"invalid archive: blob {digest} has digest {actual}");
    }

    private static string BlobName(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Encoded}";

    private static ImageIndex ParseIndex(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, OciJsonContext.Default.ImageIndex) ?? throw new ImageException("invalid archive: empty index");
        }
        catch (JsonException e)
        {
            throw new ImageException($"invalid archive: index: {e.Message}", e);
        }
    }

    private static ImageReference ParseTag(string name) =>
        ImageReference.TryParse(name, out var reference, out var error) ? reference : throw new ImageException($"invalid archive: {error}");

    private sealed record PendingImage(byte[] Manifest, byte[] Config, IReadOnlyList<ImageReference> Tags);
}
