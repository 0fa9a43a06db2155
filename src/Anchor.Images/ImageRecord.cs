using System.Text.Json.Serialization;
using Anchor.Oci;

namespace Anchor.Images;

/// <summary>One image in <see cref="ImageStoreDocument"/>: its manifest (the config digest is the key).</summary>
internal sealed record ImageRecord
{
    [JsonPropertyName("manifest")]
    public required Digest Manifest { get; init; }

    [JsonPropertyName("added")]
    public DateTimeOffset Added { get; init; }

    /// <summary>repository@digest of the manifest (or index) the image was pulled or pushed by; docker's RepoDigests.</summary>
    [JsonPropertyName("repoDigests")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? RepoDigests { get; init; }
}
