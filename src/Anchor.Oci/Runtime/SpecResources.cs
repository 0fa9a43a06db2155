using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>cgroup limits (config-linux.md "Control groups").</summary>
public sealed record SpecResources
{
    [JsonPropertyName("memory")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SpecMemory? Memory { get; init; }

    [JsonPropertyName("cpu")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SpecCpu? Cpu { get; init; }

    [JsonPropertyName("pids")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SpecPids? Pids { get; init; }

    /// <summary>The device allowlist, in order (config-linux.md "Allowed Device list").</summary>
    [JsonPropertyName("devices")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SpecDeviceCgroup>? Devices { get; init; }

    [JsonPropertyName("blockIO")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SpecBlockIo? BlockIo { get; init; }
}
