namespace Anchor.Engine.Health;

/// <summary>
/// docker's rules for State.Health (moby daemon/health.go handleProbeResult, container/health.go),
/// as pure functions over the recorded state, so the monitor and the foreground run share them and
/// tests can drive them without a container.
/// </summary>
public static class HealthStateMachine
{
    /// <summary>docker keeps the last five results (maxLogEntries).</summary>
    public const int MaxLogEntries = 5;

    /// <summary>docker truncates a probe's output to 4 KiB (maxOutputLen).</summary>
    public const int MaxOutputBytes = 4096;

    /// <summary>
    /// The state at a (re)start: starting, no failures; the log of earlier runs is kept, as docker
    /// keeps it across restarts.
    /// </summary>
    public static ContainerHealth Started(ContainerHealth? previous) =>
        new() { Status = HealthStatus.Starting, FailingStreak = 0, Log = previous?.Log ?? [] };

    /// <summary>
    /// The state once the container stopped: unhealthy, as docker's CloseMonitorChannel sets it
    /// ("for compatibility reasons").
    /// </summary>
    public static ContainerHealth Stopped(ContainerHealth current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current with { Status = HealthStatus.Unhealthy };
    }

    /// <summary>
    /// One probe's result applied: appended to the log (five kept); exit 0 is healthy and clears the
    /// streak; any other code is a failure, which does not count while the container is starting
    /// and the probe began inside the start period, and otherwise makes it unhealthy once the
    /// streak reaches <paramref name="retries"/>. A failure never turns starting into healthy.
    /// </summary>
    public static ContainerHealth Apply(ContainerHealth current, HealthLogEntry result, DateTimeOffset startedAt, TimeSpan startPeriod, int retries)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(result);
        List<HealthLogEntry> log = [.. current.Log.Skip(Math.Max(0, current.Log.Count + 1 - MaxLogEntries)), result];
        if (result.ExitCode == 0)
        {
            return new ContainerHealth { Status = HealthStatus.Healthy, FailingStreak = 0, Log = log };
        }

        var inStartPeriod = current.Status == HealthStatus.Starting && result.Start - startedAt < startPeriod;
        if (inStartPeriod)
        {
            return current with { Log = log };
        }

        var streak = current.FailingStreak + 1;
        return new ContainerHealth
        {
            Status = streak >= Math.Max(retries, 1) ? HealthStatus.Unhealthy : current.Status,
            FailingStreak = streak,
            Log = log,
        };
    }

    /// <summary>docker's ps suffix: " (healthy)", " (unhealthy)", " (health: starting)", or nothing.</summary>
    public static string StatusSuffix(ContainerHealth? health) => health?.Status switch
    {
        null => "",
        HealthStatus.Starting => " (health: starting)",
        var s => $" ({s})",
    };
}
