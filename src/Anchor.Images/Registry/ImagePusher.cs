using Anchor.Oci;
using Anchor.Oci.Reference;

namespace Anchor.Images.Registry;

/// <summary>
/// docker push (distribution spec, "Push"): plain layers are compressed first
/// (<see cref="PushCompression"/>), each layer and the config are checked with HEAD and uploaded
/// only when the registry lacks them, then the manifest is PUT byte for byte as stored, so its
/// digest is the one the image has.
/// </summary>
public sealed class ImagePusher(ImageStore store, ClientConfig config)
{
    /// <summary>Blobs above this size go up in PATCH chunks of this size; override with ANCHOR_PUSH_CHUNK_SIZE (bytes).</summary>
    public const long DefaultChunkSize = 16L << 20;

    /// <summary>Credentials the caller was given for this push (the API's X-Registry-Auth); null: the config's.</summary>
    public RegistryCredentials? Credentials { get; init; }

    public PushResult Push(StoredImage image, ImageReference reference, Action<string, string>? progress = null) =>
        Push(image, reference, PushOptions.Default, progress);

    /// <summary>As above with podman's --format and --compression-format/--compression-level (<see cref="PushManifest"/>).</summary>
    public PushResult Push(StoredImage image, ImageReference reference, PushOptions options, Action<string, string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = RegistryEndpoint.Resolve(reference.Domain, config.InsecureRegistries);
        var client = new RegistryClient(endpoint, reference.Path, Credentials ?? config.Credentials(endpoint.AuthKey), push: true);
        var chunk = long.TryParse(Environment.GetEnvironmentVariable("ANCHOR_PUSH_CHUNK_SIZE"), out var c) && c > 0 ? c : DefaultChunkSize;

        // A writer's lease: the blobs made for this push are not collected while it runs, and
        // those nothing refers to afterwards (transcoded layers) are when it ends.
        using var lease = store.BeginWrite();
        if (options.IsDefaultCompression)
        {
            image = PushCompression.Compressed(store, image, progress);
        }

        var (manifest, mediaType, layers) = PushManifest.For(store, image, options, progress);

        var mounts = new Lazy<Dictionary<Digest, string>>(() => MountSources(reference));

        // Top layer first, as docker lists them.
        foreach (var layer in layers.Reverse())
        {
            if (!store.Content.Exists(layer.Digest))
            {
                throw new ImageException($"blob {layer.Digest} of {reference.FamiliarName} is not in the store", ImageErrorKind.NotFound);
            }

            if (client.BlobExists(layer.Digest))
            {
                progress?.Invoke(layer.Digest.Short, "Layer already exists");
                continue;
            }

            if (mounts.Value.TryGetValue(layer.Digest, out var from) && client.MountBlob(layer.Digest, from))
            {
                progress?.Invoke(layer.Digest.Short, $"Mounted from {from}");
                continue;
            }

            client.PushBlob(layer.Digest, store.Content.Size(layer.Digest), () => store.Content.Open(layer.Digest), chunk);
            progress?.Invoke(layer.Digest.Short, "Pushed");
        }

        var configDigest = image.Manifest.Config.Digest;
        if (!client.BlobExists(configDigest))
        {
            client.PushBlob(configDigest, store.Content.Size(configDigest), () => store.Content.Open(configDigest), chunk);
        }

        var digest = Digest.Sha256(manifest);
        client.PutManifest(reference.Tag ?? reference.Digest?.ToString() ?? ImageReference.DefaultTag, manifest, mediaType);
        store.AddRepoDigest(image, $"{reference.Repository}@{digest}");
        return new PushResult(digest, manifest.Length);
    }

    /// <summary>
    /// Layers known to be in another repository of the same registry: those of every image with a
    /// RepoDigest there (it was pulled from or pushed to it, so all its layers are). docker keeps
    /// such a map too (distribution/metadata, V2MetadataService) and tries a mount before an upload.
    /// </summary>
    private Dictionary<Digest, string> MountSources(ImageReference reference)
    {
        var sources = new Dictionary<Digest, string>();
        foreach (var image in store.List())
        {
            foreach (var repoDigest in image.RepoDigests)
            {
                var at = repoDigest.IndexOf('@', StringComparison.Ordinal);
                if (at < 0 || !ImageReference.TryParse(repoDigest[..at], out var other, out _) || other.Domain != reference.Domain || other.Path == reference.Path)
                {
                    continue;
                }

                foreach (var layer in image.Manifest.Layers)
                {
                    sources.TryAdd(layer.Digest, other.Path);
                }
            }
        }

        return sources;
    }
}
