using Anchor.Engine.Health;

namespace Anchor.Engine.Tests.Health;

public sealed class HealthStateMachineTests
{
    private static readonly DateTimeOffset Started = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static HealthLogEntry Result(int exitCode, double secondsAfterStart = 100) => new()
    {
        Start = Started.AddSeconds(secondsAfterStart),
        End = Started.AddSeconds(secondsAfterStart + 0.1),
        ExitCode = exitCode,
        Output = $"code {exitCode}",
    };

    private static ContainerHealth Apply(ContainerHealth h, HealthLogEntry r, int retries = 3, double startPeriodSeconds = 0) =>
        HealthStateMachine.Apply(h, r, Started, TimeSpan.FromSeconds(startPeriodSeconds), retries);

    [Fact]
    public void Apply_Success_IsHealthyAndClearsTheStreak()
    {
        var h = Apply(new ContainerHealth { Status = HealthStatus.Unhealthy, FailingStreak = 4 }, Result(0));
        Assert.Equal(HealthStatus.Healthy, h.Status);
        Assert.Equal(0, h.FailingStreak);
        Assert.Single(h.Log);
    }

    [Fact]
    public void Apply_FailuresBelowRetries_KeepTheStatus_AtRetriesUnhealthy()
    {
        var h = HealthStateMachine.Started(null);
        h = Apply(h, Result(1));
        Assert.Equal((HealthStatus.Starting, 1), (h.Status, h.FailingStreak));
        h = Apply(h, Result(2));
        Assert.Equal((HealthStatus.Starting, 2), (h.Status, h.FailingStreak));
        h = Apply(h, Result(-1));
        Assert.Equal((HealthStatus.Unhealthy, 3), (h.Status, h.FailingStreak));

        var healthy = Apply(HealthStateMachine.Started(null), Result(0));
        healthy = Apply(healthy, Result(1), retries: 2);
        Assert.Equal((HealthStatus.Healthy, 1), (healthy.Status, healthy.FailingStreak));
        healthy = Apply(healthy, Result(1), retries: 2);
        Assert.Equal((HealthStatus.Unhealthy, 2), (healthy.Status, healthy.FailingStreak));
    }

    [Fact]
    public void Apply_FailureInsideTheStartPeriodWhileStarting_DoesNotCount()
    {
        var h = Apply(HealthStateMachine.Started(null), Result(1, secondsAfterStart: 5), retries: 1, startPeriodSeconds: 10);
        Assert.Equal((HealthStatus.Starting, 0), (h.Status, h.FailingStreak));
        Assert.Single(h.Log);
        h = Apply(h, Result(1, secondsAfterStart: 11), retries: 1, startPeriodSeconds: 10);
        Assert.Equal((HealthStatus.Unhealthy, 1), (h.Status, h.FailingStreak));

        // Once healthy, the start period no longer protects a failure.
        var healthy = Apply(HealthStateMachine.Started(null), Result(0, 1), startPeriodSeconds: 10);
        healthy = Apply(healthy, Result(1, 2), retries: 1, startPeriodSeconds: 10);
        Assert.Equal((HealthStatus.Unhealthy, 1), (healthy.Status, healthy.FailingStreak));
    }

    [Fact]
    public void Apply_KeepsTheLastFiveResults_OldestFirst()
    {
        var h = HealthStateMachine.Started(null);
        for (var i = 0; i < 8; i++)
        {
            h = Apply(h, Result(i));
        }

        Assert.Equal([3, 4, 5, 6, 7], h.Log.Select(e => e.ExitCode));
    }

    [Fact]
    public void StartedAndStopped_FollowDocker()
    {
        var previous = new ContainerHealth { Status = HealthStatus.Healthy, FailingStreak = 2, Log = [Result(0)] };
        var restarted = HealthStateMachine.Started(previous);
        Assert.Equal((HealthStatus.Starting, 0, 1), (restarted.Status, restarted.FailingStreak, restarted.Log.Count));
        Assert.Equal(HealthStatus.Unhealthy, HealthStateMachine.Stopped(previous).Status);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData(HealthStatus.Starting, " (health: starting)")]
    [InlineData(HealthStatus.Healthy, " (healthy)")]
    [InlineData(HealthStatus.Unhealthy, " (unhealthy)")]
    public void StatusSuffix_IsPsColumnText(string? status, string suffix) =>
        Assert.Equal(suffix, HealthStateMachine.StatusSuffix(status is null ? null : new ContainerHealth { Status = status }));
}
