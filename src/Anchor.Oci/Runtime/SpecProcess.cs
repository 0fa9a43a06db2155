using System.Text.Json.Serialization;

namespace Anchor.Oci.Runtime;

/// <summary>The container process (runtime spec, config.md "Process").</summary>
public sealed record SpecProcess
{
    [JsonPropertyName("terminal")]
    public bool Terminal { get; init; }

    [JsonPropertyName("user")]
    public SpecUser User { get; init; } = new();

    [JsonPropertyName("args")]
    public required IReadOnlyList<string> Args { get; init; }

    [JsonPropertyName("env")]
    public IReadOnlyList<string> Env { get; init; } = [];

    [JsonPropertyName("cwd")]
    public string Cwd { get; init; } = "/";

    [JsonPropertyName("capabilities")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SpecCapabilities? Capabilities { get; init; }

    [JsonPropertyName("rlimits")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SpecRlimit>? Rlimits { get; init; }

    /// <summary>Written to /proc/self/oom_score_adj before the process runs (config.md "oomScoreAdj").</summary>
    [JsonPropertyName("oomScoreAdj")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? OomScoreAdj { get; init; }

    [JsonPropertyName("noNewPrivileges")]
    public bool NoNewPrivileges { get; init; }
}
