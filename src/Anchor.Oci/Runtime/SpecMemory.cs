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

    /// <summary>The soft limit (v1 memory.soft_limit_in_bytes, v2 memory.low): docker's --memory-reservation.</summary>
    [JsonPropertyName("reservation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Reservation { get; init; }

    /// <summary>v1 memory.oom_control: docker's --oom-kill-disable (v2 has no such switch).</summary>
    [JsonPropertyName("disableOOMKiller")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? DisableOomKiller { get; init; }
}
