using System.Text.Json.Serialization;

namespace Anchor.Oci.Image;

/// <summary>The layer DiffIDs, in order from the bottom (config.md "rootfs").</summary>
public sealed record RootFs
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "layers";

    [JsonPropertyName("diff_ids")]
    public IReadOnlyList<Digest> DiffIds { get; init; } = [];
}
