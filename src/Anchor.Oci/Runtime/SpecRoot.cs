using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>The root filesystem (runtime spec, config.md "Root").</summary>
public sealed record SpecRoot
{
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    [JsonPropertyName("readonly")]
    public bool Readonly { get; init; }
}
