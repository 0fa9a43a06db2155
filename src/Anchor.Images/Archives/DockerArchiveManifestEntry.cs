using System.Text.Json.Serialization;

namespace Anchor.Images.Archives;

/// <summary>One element of a docker-archive's manifest.json (moby image/tarexport, "docker save" format).</summary>
internal sealed record DockerArchiveManifestEntry
{
    [JsonPropertyName("Config")]
    public string Config { get; init; } = "";

    [JsonPropertyName("RepoTags")]
    public List<string>? RepoTags { get; init; }

    [JsonPropertyName("Layers")]
    public List<string> Layers { get; init; } = [];
}
