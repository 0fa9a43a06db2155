using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>CPU controls (config-linux.md "CPU"): CFS bandwidth (quota microseconds per period), shares and the cpuset.</summary>
public sealed record SpecCpu
{
    [JsonPropertyName("quota")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Quota { get; init; }

    [JsonPropertyName("period")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Period { get; init; }

    /// <summary>Relative weight (v1 cpu.shares; v2 cpu.weight through runc's conversion): docker's --cpu-shares.</summary>
    [JsonPropertyName("shares")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Shares { get; init; }

    /// <summary>cpuset.cpus as a list ("0-2,4"): docker's --cpuset-cpus.</summary>
    [JsonPropertyName("cpus")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Cpus { get; init; }

    /// <summary>cpuset.mems, the memory nodes: docker's --cpuset-mems.</summary>
    [JsonPropertyName("mems")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Mems { get; init; }
}
