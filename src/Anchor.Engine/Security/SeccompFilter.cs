using System.Text.Json.Serialization;

namespace Anchor.Engine.Security;

/// <summary>
/// The includes/excludes of a profile rule (moby/profiles seccomp.Filter): capabilities (CAP_…, of
/// the container's bounding set), architectures (docker's native names: amd64, x32, arm64…) and the
/// running kernel's minimum "major.minor".
/// </summary>
public sealed record SeccompFilter
{
    [JsonPropertyName("caps")]
    public IReadOnlyList<string>? Caps { get; init; }

    [JsonPropertyName("arches")]
    public IReadOnlyList<string>? Arches { get; init; }

    [JsonPropertyName("minKernel")]
    [JsonConverter(typeof(KernelVersionJsonConverter))]
    public KernelVersion? MinKernel { get; init; }
}
