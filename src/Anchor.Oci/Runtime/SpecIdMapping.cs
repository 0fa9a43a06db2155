using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>One line of a user namespace's uid or gid map (config-linux.md "User namespace mappings").</summary>
public sealed record SpecIdMapping
{
    [JsonPropertyName("containerID")]
    public uint ContainerId { get; init; }

    [JsonPropertyName("hostID")]
    public uint HostId { get; init; }

    [JsonPropertyName("size")]
    public uint Size { get; init; }
}
