using System.Text.Json.Serialization;

namespace Anchor.Engine.Security;

/// <summary>An archMap entry of docker's profile format: a native architecture and the ones it also runs.</summary>
public sealed record SeccompArchitecture
{
    [JsonPropertyName("architecture")]
    public string Architecture { get; init; } = "";

    [JsonPropertyName("subArchitectures")]
    public IReadOnlyList<string>? SubArchitectures { get; init; }
}
