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

    public PushResult Push(StoredImage image, ImageReference reference, Action<string, string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(reference);
        var endpoint = RegistryEndpoint.Resolve(reference.Domain, config.InsecureRegistries);
        var client = new RegistryClient(endpoint, reference.Path, Credentials ?? config.Credentials(endpoint.AuthKey), push: true);
        var chunk = long.TryParse(Environment.GetEnvironmentVariable("ANCHOR_PUSH_CHUNK_SIZE"), out var c) && c > 0 ? c : DefaultChunkSize;
        image = PushCompression.Compressed(store, image, progress);

        // Top layer first, as docker lists them.
        foreach (var layer in image.Manifest.Layers.Reverse())
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

            client.PushBlob(layer.Digest, store.Content.Size(layer.Digest), () => store.Content.Open(layer.Digest), chunk);
            progress?.Invoke(layer.Digest.Short, "Pushed");
        }

        var configDigest = image.Manifest.Config.Digest;
        if (!client.BlobExists(configDigest))
        {
            client.PushBlob(configDigest, store.Content.Size(configDigest), () => store.Content.Open(configDigest), chunk);
        }

        var manifest = store.Content.ReadAll(image.ManifestDigest);
        client.PutManifest(reference.Tag ?? reference.Digest?.ToString() ?? ImageReference.DefaultTag, manifest, image.Manifest.MediaType ?? MediaTypes.OciManifest);
        store.AddRepoDigest(image, $"{reference.Repository}@{image.ManifestDigest}");
        return new PushResult(image.ManifestDigest, manifest.Length);
    }
}
