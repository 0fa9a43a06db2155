using System.Text.Json.Serialization;

namespace Anchor.Engine.Runtimes;

/// <summary>
/// Anchor's configuration file (<see cref="RuntimeTable.ConfigPath"/>): for now only dockerd's
/// daemon.json "runtimes" table (dockerd(8) --add-runtime, docs "Configure container runtimes"),
/// in the same shape so a daemon.json's table can be copied over.
/// </summary>
public sealed record RuntimeConfig
{
    [JsonPropertyName("runtimes")]
    public Dictionary<string, RuntimeEntry>? Runtimes { get; init; }
}
