using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>
/// One entry of the device allowlist (config-linux.md "Allowed Device list"), applied in order as
/// the v1 devices controller applies writes to devices.allow/devices.deny: type a (or absent)
/// means every device; an absent major or minor (null) is a wildcard; access is a subset of rwm.
/// </summary>
public sealed record SpecDeviceCgroup
{
    [JsonPropertyName("allow")]
    public bool Allow { get; init; }

    [JsonPropertyName("type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    /// <summary>Null (or -1, which runc and docker also write) matches every major number.</summary>
    [JsonPropertyName("major")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Major { get; init; }

    [JsonPropertyName("minor")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Minor { get; init; }

    [JsonPropertyName("access")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Access { get; init; }
}
