using System.Text.Json.Serialization;

namespace Anchor.Engine.Runtimes;

/// <summary>One runtime of the table: a runc-compatible program and the global flags it is always given (daemon.json's path and runtimeArgs).</summary>
public sealed record RuntimeEntry
{
    [JsonPropertyName("path")]
    public string? Path { get; init; }

    [JsonPropertyName("runtimeArgs")]
    public IReadOnlyList<string>? RuntimeArgs { get; init; }
}
