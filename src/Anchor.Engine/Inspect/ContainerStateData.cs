namespace Anchor.Engine.Inspect;

/// <summary>docker's ContainerState; unset times print as Go's zero time.</summary>
public sealed record ContainerStateData
{
    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public string Status { get; init; } = "created";

    public bool Running { get; init; }

    public bool Paused { get; init; }

    public bool Restarting { get; init; }

    public bool OOMKilled { get; init; }

    public bool Dead { get; init; }

    public int Pid { get; init; }

    public int ExitCode { get; init; }

    public string Error { get; init; } = "";

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>State.Health: omitted when the container has no health check (docker's omitempty).</summary>
    public Health.ContainerHealth? Health { get; init; }
}
