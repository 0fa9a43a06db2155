using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>A namespace to create, or to join when a path is given (config-linux.md "Namespaces").</summary>
public sealed record SpecNamespace
{
    /// <summary>pid, network, mount, ipc, uts, user or cgroup.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("path")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Path { get; init; }
}
