using System.Text.Json.Serialization;

namespace Anchor.Oci;

/// <summary>The platform of an index entry (OCI image spec, image-index.md).</summary>
public sealed record Platform
{
    [JsonPropertyName("architecture")]
    public string Architecture { get; init; } = "amd64";

    [JsonPropertyName("os")]
    public string Os { get; init; } = "linux";

    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; init; }
}
