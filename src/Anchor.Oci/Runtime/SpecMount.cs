using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>One mount, applied in order (runtime spec, config.md "Mounts").</summary>
public sealed record SpecMount
{
    [JsonPropertyName("destination")]
    public required string Destination { get; init; }

    [JsonPropertyName("type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    [JsonPropertyName("source")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Source { get; init; }

    [JsonPropertyName("options")]
    public IReadOnlyList<string> Options { get; init; } = [];
}
