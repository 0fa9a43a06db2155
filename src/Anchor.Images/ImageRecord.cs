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
}
