using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>Memory limits in bytes (config-linux.md "Memory").</summary>
public sealed record SpecMemory
{
    [JsonPropertyName("limit")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Limit { get; init; }

    /// <summary>Memory plus swap; docker sets it to twice the limit unless --memory-swap says otherwise.</summary>
    [JsonPropertyName("swap")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Swap { get; init; }
}
