using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>CFS bandwidth (config-linux.md "CPU"): quota microseconds per period.</summary>
public sealed record SpecCpu
{
    [JsonPropertyName("quota")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Quota { get; init; }

    [JsonPropertyName("period")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Period { get; init; }
}
