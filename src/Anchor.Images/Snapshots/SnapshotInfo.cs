using System.Text.Json.Serialization;
using Anchor.Oci;

namespace Anchor.Images.Snapshots;

/// <summary>What a committed snapshot holds: <c>root/snapshots/&lt;chainid&gt;/info.json</c>.</summary>
public sealed record SnapshotInfo
{
    [JsonPropertyName("chainId")]
    public required Digest ChainId { get; init; }

    [JsonPropertyName("diffId")]
    public required Digest DiffId { get; init; }

    [JsonPropertyName("parent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Digest? Parent { get; init; }

    /// <summary>Bytes of file content unpacked (what docker adds up as the image size).</summary>
    [JsonPropertyName("size")]
    public long Size { get; init; }
}
