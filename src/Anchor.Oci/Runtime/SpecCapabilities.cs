using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>Capability sets by name, e.g. CAP_CHOWN (runtime spec, config.md "capabilities").</summary>
public sealed record SpecCapabilities
{
    [JsonPropertyName("bounding")]
    public IReadOnlyList<string> Bounding { get; init; } = [];

    [JsonPropertyName("effective")]
    public IReadOnlyList<string> Effective { get; init; } = [];

    [JsonPropertyName("permitted")]
    public IReadOnlyList<string> Permitted { get; init; } = [];

    [JsonPropertyName("inheritable")]
    public IReadOnlyList<string> Inheritable { get; init; } = [];

    [JsonPropertyName("ambient")]
    public IReadOnlyList<string> Ambient { get; init; } = [];
}
