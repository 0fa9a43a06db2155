using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>Numeric credentials of the process (runtime spec, config.md "User", POSIX platforms).</summary>
public sealed record SpecUser
{
    [JsonPropertyName("uid")]
    public uint Uid { get; init; }

    [JsonPropertyName("gid")]
    public uint Gid { get; init; }

    [JsonPropertyName("additionalGids")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<uint>? AdditionalGids { get; init; }
}
