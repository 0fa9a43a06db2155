using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>Linux-specific configuration (runtime spec, config-linux.md).</summary>
public sealed record SpecLinux
{
    [JsonPropertyName("namespaces")]
    public IReadOnlyList<SpecNamespace> Namespaces { get; init; } = [];

    /// <summary>The user namespace's uid map (with a "user" namespace; config-linux.md "User namespace mappings").</summary>
    [JsonPropertyName("uidMappings")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SpecIdMapping>? UidMappings { get; init; }

    [JsonPropertyName("gidMappings")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SpecIdMapping>? GidMappings { get; init; }

    [JsonPropertyName("resources")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SpecResources? Resources { get; init; }

    [JsonPropertyName("cgroupsPath")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CgroupsPath { get; init; }

    [JsonPropertyName("maskedPaths")]
    public IReadOnlyList<string> MaskedPaths { get; init; } = [];

    [JsonPropertyName("readonlyPaths")]
    public IReadOnlyList<string> ReadonlyPaths { get; init; } = [];

    /// <summary>Device nodes to create besides the spec's default ones (config-linux.md "Devices").</summary>
    [JsonPropertyName("devices")]
    public IReadOnlyList<SpecDevice> Devices { get; init; } = [];

    /// <summary>Kernel parameters set in the container's namespaces (config-linux.md "Sysctl"): key → value.</summary>
    [JsonPropertyName("sysctl")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Sysctl { get; init; }

    /// <summary>The seccomp filter; null runs the container without one (seccomp=unconfined).</summary>
    [JsonPropertyName("seccomp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SpecSeccomp? Seccomp { get; init; }
}
