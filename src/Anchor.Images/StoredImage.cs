using Anchor.Oci;
using Anchor.Oci.Image;
using Anchor.Oci.Reference;

namespace Anchor.Images;

/// <summary>An image in the store. <see cref="Id"/> is the config digest, docker's image ID.</summary>
public sealed record StoredImage
{
    public required Digest Id { get; init; }

    public required Digest ManifestDigest { get; init; }

    public required ImageManifest Manifest { get; init; }

    public required ImageConfig Config { get; init; }

    /// <summary>Tags pointing at this image, normalised (docker.io/library/busybox:latest); empty when dangling.</summary>
    public required IReadOnlyList<ImageReference> References { get; init; }

    /// <summary>The tags as docker prints them: busybox:latest.</summary>
    public IReadOnlyList<string> RepoTags => [.. References.Select(r => r.FamiliarName)];

    /// <summary>ChainIDs of the layers, bottom first: the snapshot names.</summary>
    public required IReadOnlyList<Digest> ChainIds { get; init; }

    /// <summary>repository@sha256:… by which the image is known to registries (docker's RepoDigests).</summary>
    public IReadOnlyList<string> RepoDigests { get; init; } = [];

    public DateTimeOffset? Created => Config.Created;

    /// <summary>Sum of the unpacked layer sizes.</summary>
    public required long Size { get; init; }

    public bool IsDangling => References.Count == 0;
}
