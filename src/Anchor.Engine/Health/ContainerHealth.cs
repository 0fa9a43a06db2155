namespace Anchor.Engine.Health;

/// <summary>docker's State.Health: the status, the failures in a row, and the last five probe results (oldest first).</summary>
public sealed record ContainerHealth
{
    public string Status { get; init; } = HealthStatus.Starting;

    public int FailingStreak { get; init; }

    public IReadOnlyList<HealthLogEntry> Log { get; init; } = [];
}
