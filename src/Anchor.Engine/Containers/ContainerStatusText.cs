using Anchor.Engine.Units;

namespace Anchor.Engine.Containers;

/// <summary>docker's human-readable container status ("Up 5 seconds", "Exited (0) 2 minutes ago"): ps's STATUS column and the API's Status field.</summary>
public static class ContainerStatusText
{
    public static string Of(ContainerRecord c, DateTimeOffset now) => c.Status switch
    {
        ContainerStatus.Running when c.StartedAt is { } s => "Up " + RelativeTime.Human(now - s) + Health.HealthStateMachine.StatusSuffix(c.Health),
        ContainerStatus.Paused when c.StartedAt is { } s => "Up " + RelativeTime.Human(now - s) + " (Paused)",
        ContainerStatus.Restarting when c.FinishedAt is { } f => $"Restarting ({c.ExitCode}) {RelativeTime.Ago(f, now)}",
        ContainerStatus.Exited when c.FinishedAt is { } f => $"Exited ({c.ExitCode}) {RelativeTime.Ago(f, now)}",
        ContainerStatus.Created => "Created",
        var other => other.ToString(),
    };
}
