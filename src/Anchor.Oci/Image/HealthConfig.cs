using System.Text.Json.Serialization;

namespace Anchor.Oci.Image;

/// <summary>
/// docker's HEALTHCHECK in the image config (moby api/types/container.HealthConfig); durations in
/// nanoseconds. Test is ["NONE"], ["CMD", args…] or ["CMD-SHELL", command].
/// </summary>
public sealed record HealthConfig
{
    [JsonPropertyName("Test")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Test { get; init; }

    [JsonPropertyName("Interval")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Interval { get; init; }

    [JsonPropertyName("Timeout")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Timeout { get; init; }

    [JsonPropertyName("StartPeriod")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long StartPeriod { get; init; }

    [JsonPropertyName("StartInterval")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long StartInterval { get; init; }

    [JsonPropertyName("Retries")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Retries { get; init; }
}
