using System.Text.Json.Serialization;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// What <c>anchor oci create</c> keeps of a container in ROOT/ID/state.json: enough to answer
/// <c>state</c> (runtime-spec runtime.md "State") and to signal, pause and delete it later. The
/// status itself is never stored: it is read from the process and the cgroup each time, as runc does.
/// </summary>
public sealed record OciContainerState
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("ociVersion")]
    public string OciVersion { get; init; } = "1.2.0";

    /// <summary>The container's first process, as the host sees it.</summary>
    [JsonPropertyName("pid")]
    public int Pid { get; init; }

    /// <summary>/proc/PID/stat starttime of <see cref="Pid"/>: a recycled pid is not the container.</summary>
    [JsonPropertyName("pidStartTime")]
    public long PidStartTime { get; init; }

    [JsonPropertyName("bundle")]
    public required string Bundle { get; init; }

    [JsonPropertyName("rootfs")]
    public required string Rootfs { get; init; }

    [JsonPropertyName("created")]
    public DateTimeOffset Created { get; init; }

    /// <summary>The cgroup relative to each hierarchy's root (the spec's cgroupsPath, normalized).</summary>
    [JsonPropertyName("cgroupPath")]
    public required string CgroupPath { get; init; }

    /// <summary>Set once <c>start</c> has let the process run its command (created → running).</summary>
    [JsonPropertyName("started")]
    public bool Started { get; init; }

    [JsonPropertyName("paused")]
    public bool Paused { get; init; }

    [JsonPropertyName("owner")]
    public string Owner { get; init; } = "";

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; init; }
}
