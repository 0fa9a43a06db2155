using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>Block I/O (config-linux.md "Block IO"): only the group's weight, docker's --blkio-weight.</summary>
public sealed record SpecBlockIo
{
    /// <summary>10 to 1000 (v1 blkio.weight; v2 io.bfq.weight, or io.weight through runc's conversion).</summary>
    [JsonPropertyName("weight")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ushort? Weight { get; init; }
}
