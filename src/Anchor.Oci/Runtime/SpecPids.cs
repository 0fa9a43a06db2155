using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>The pids controller limit (config-linux.md "pids").</summary>
public sealed record SpecPids
{
    [JsonPropertyName("limit")]
    public long Limit { get; init; }
}
