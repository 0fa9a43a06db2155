using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>The bundle's config.json (OCI runtime spec, config.md). Only the fields Anchor fills.</summary>
public sealed record Spec
{
    [JsonPropertyName("ociVersion")]
    public string OciVersion { get; init; } = "1.2.0";

    [JsonPropertyName("process")]
    public required SpecProcess Process { get; init; }

    [JsonPropertyName("root")]
    public required SpecRoot Root { get; init; }

    [JsonPropertyName("hostname")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Hostname { get; init; }

    /// <summary>The NIS domain name in the container's uts namespace (config.md "domainname").</summary>
    [JsonPropertyName("domainname")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Domainname { get; init; }

    [JsonPropertyName("mounts")]
    public IReadOnlyList<SpecMount> Mounts { get; init; } = [];

    [JsonPropertyName("linux")]
    public required SpecLinux Linux { get; init; }

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Annotations { get; init; }
}
