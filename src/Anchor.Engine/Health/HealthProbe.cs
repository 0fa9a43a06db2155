using Anchor.Oci.Image;

namespace Anchor.Engine.Health;

/// <summary>
/// A container's health check ready to run: the command and docker's timing with its defaults
/// filled in (moby daemon/health.go: interval 30 s, timeout 30 s, start period 0, start interval
/// 5 s, retries 3; a zero or unset value means the default).
/// </summary>
public sealed record HealthProbe(IReadOnlyList<string> Command, TimeSpan Interval, TimeSpan Timeout, TimeSpan StartPeriod, TimeSpan StartInterval, int Retries)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultStartInterval = TimeSpan.FromSeconds(5);
    public const int DefaultRetries = 3;

    /// <summary>
    /// The probe of a container's effective Config.Healthcheck, or null when it has none: no config,
    /// an empty test, or ["NONE"]. CMD runs its arguments; CMD-SHELL runs the rest after the
    /// image's SHELL (default /bin/sh -c), as docker's getProbe and getShell do.
    /// </summary>
    public static HealthProbe? From(HealthConfig? config, IReadOnlyList<string>? shell)
    {
        if (config?.Test is not { Count: > 0 } test)
        {
            return null;
        }

        IReadOnlyList<string>? command = test[0] switch
        {
            "CMD" => test.Count > 1 ? [.. test.Skip(1)] : null,
            "CMD-SHELL" => [.. shell is { Count: > 0 } ? shell : ["/bin/sh", "-c"], .. test.Skip(1)],
            _ => null, // NONE, or a type docker ignores too
        };
        if (command is null)
        {
            return null;
        }

        static TimeSpan Or(long nanoseconds, TimeSpan fallback) => nanoseconds > 0 ? TimeSpan.FromTicks(nanoseconds / 100) : fallback;
        return new HealthProbe(
            command,
            Or(config.Interval, DefaultInterval),
            Or(config.Timeout, DefaultTimeout),
            Or(config.StartPeriod, TimeSpan.Zero),
            Or(config.StartInterval, DefaultStartInterval),
            config.Retries > 0 ? config.Retries : DefaultRetries);
    }

    /// <summary>
    /// The wait before the next probe (moby monitor's getInterval): the start interval while the
    /// container is inside its start period and has not been healthy yet, else the interval.
    /// </summary>
    public TimeSpan NextDelay(TimeSpan sinceStart, string status) =>
        sinceStart < StartPeriod && status == HealthStatus.Starting ? StartInterval : Interval;
}
