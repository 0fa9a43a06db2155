using Anchor.Oci;
using Anchor.Oci.Image;
using Anchor.Oci.Reference;

namespace Anchor.Images;

/// <summary>An image in the store. <see cref="Id"/> is the config digest, docker's image ID.</summary>
public sealed record StoredImage
{
    public required Digest Id { get; init; }

    public required Digest ManifestDigest { get; init; }

    /// <summary>The manifest: read with the image, or when first asked for if the image was looked up lazily (`anchor run` needs only the config).</summary>
    public ImageManifest Manifest
    {
        get => _manifest ??= (_loadManifest ?? throw new InvalidOperationException("an image without a manifest"))();
        init => _manifest = value;
    }

    public required ImageConfig Config { get; init; }

    /// <summary>Tags pointing at this image, normalised (docker.io/library/busybox:latest); empty when dangling.</summary>
    public IReadOnlyList<ImageReference> References
    {
        get => _references ??= _loadReferences?.Invoke() ?? [];
        init => _references = value;
    }

    /// <summary>The tags as docker prints them: busybox:latest.</summary>
    public IReadOnlyList<string> RepoTags => [.. References.Select(r => r.FamiliarName)];

    /// <summary>ChainIDs of the layers, bottom first: the snapshot names.</summary>
    public required IReadOnlyList<Digest> ChainIds { get; init; }

    /// <summary>repository@sha256:… by which the image is known to registries (docker's RepoDigests).</summary>
    public IReadOnlyList<string> RepoDigests { get; init; } = [];

    public DateTimeOffset? Created => Config.Created;

    /// <summary>Sum of the unpacked layer sizes.</summary>
    public long Size
    {
        get => _size ??= _loadSize?.Invoke() ?? 0;
        init => _size = value;
    }

    public bool IsDangling => References.Count == 0;

    private ImageManifest? _manifest;
    private IReadOnlyList<ImageReference>? _references;
    private long? _size;
    private Func<ImageManifest>? _loadManifest;
    private Func<IReadOnlyList<ImageReference>>? _loadReferences;
    private Func<long>? _loadSize;

    /// <summary>
    /// An image whose manifest, tags and size are read only when asked for: looking an image up
    /// for `anchor run` then parses its config and nothing else (each JSON type read the first
    /// time costs NativeAOT a few hundred microseconds of metadata set-up).
    /// </summary>
    internal static StoredImage Deferred(Digest id, Digest manifestDigest, ImageConfig config, IReadOnlyList<Digest> chainIds, IReadOnlyList<string> repoDigests,
        Func<ImageManifest> manifest, Func<IReadOnlyList<ImageReference>> references, Func<long> size) =>
        new()
        {
            Id = id,
            ManifestDigest = manifestDigest,
            Config = config,
            ChainIds = chainIds,
            RepoDigests = repoDigests,
            _loadManifest = manifest,
            _loadReferences = references,
            _loadSize = size,
        };
}
