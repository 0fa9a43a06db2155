using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>
/// A device node the runtime creates in the container (config-linux.md "Devices"): made with
/// mknod(2) at <see cref="Path"/>, then given <see cref="FileMode"/> and the owner.
/// </summary>
public sealed record SpecDevice
{
    /// <summary>Where the node goes, as seen inside the container.</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary>c (character), b (block), u (unbuffered character, made as c) or p (FIFO).</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("major")]
    public long Major { get; init; }

    [JsonPropertyName("minor")]
    public long Minor { get; init; }

    /// <summary>The permission bits (no S_IFMT bits); the spec's default when absent is 0666 (runc's).</summary>
    [JsonPropertyName("fileMode")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? FileMode { get; init; }

    [JsonPropertyName("uid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? Uid { get; init; }

    [JsonPropertyName("gid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? Gid { get; init; }
}
