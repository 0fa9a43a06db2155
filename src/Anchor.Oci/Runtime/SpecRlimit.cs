using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>An rlimit to set with setrlimit(2) (runtime spec, config.md "rlimits").</summary>
public sealed record SpecRlimit
{
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("hard")]
    public ulong Hard { get; init; }

    [JsonPropertyName("soft")]
    public ulong Soft { get; init; }
}
