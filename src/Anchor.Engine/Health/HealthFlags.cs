using System.Globalization;
using Anchor.Engine.Logs;
using Anchor.Oci.Image;

namespace Anchor.Engine.Health;

/// <summary>
/// run/create's --health-* flags and --no-healthcheck as docker's CLI turns them into
/// Config.Healthcheck (docker/cli cli/command/container/opts.go), and the daemon's checks of it
/// (moby daemon/container.go validateHealthCheck), with their messages; and docker's merge of that
/// with the image's HEALTHCHECK (moby daemon/commit.go merge: unset fields come from the image).
/// </summary>
public static class HealthFlags
{
    /// <summary>docker's MinimumDuration for a set interval, timeout, start period or start interval.</summary>
    private const long MinimumNanoseconds = 1_000_000;

    public sealed record Values(
        string? Cmd = null,
        string? Interval = null,
        string? Timeout = null,
        string? StartPeriod = null,
        string? StartInterval = null,
        string? Retries = null,
        bool NoHealthcheck = false);

    /// <summary>The user's Config.Healthcheck, or null when no flag was given (the image's then applies).</summary>
    public static HealthConfig? Parse(Values flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var interval = Duration("--health-interval", flags.Interval);
        var timeout = Duration("--health-timeout", flags.Timeout);
        var startPeriod = Duration("--health-start-period", flags.StartPeriod);
        var startInterval = Duration("--health-start-interval", flags.StartInterval);
        var retries = 0;
        if (flags.Retries is { } text && !int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out retries))
        {
            throw new EngineException($"invalid argument \"{text}\" for \"--health-retries\" flag: strconv.ParseInt: parsing \"{text}\": invalid syntax");
        }

        var any = !string.IsNullOrEmpty(flags.Cmd) || interval != 0 || timeout != 0 || startPeriod != 0 || retries != 0 || startInterval != 0;
        if (flags.NoHealthcheck)
        {
            return any ? throw new EngineException("--no-healthcheck conflicts with --health-* options") : new HealthConfig { Test = ["NONE"] };
        }

        if (!any)
        {
            return null;
        }

        foreach (var (value, flag) in (ReadOnlySpan<(long, string)>)[(interval, "interval"), (timeout, "timeout"), (retries, "retries"), (startPeriod, "start-period"), (startInterval, "start-interval")])
        {
            if (value < 0)
            {
                throw new EngineException($"--health-{flag} cannot be negative");
            }
        }

        foreach (var (value, field) in (ReadOnlySpan<(long, string)>)[(interval, "Interval"), (timeout, "Timeout"), (startPeriod, "StartPeriod"), (startInterval, "StartInterval")])
        {
            if (value != 0 && value < MinimumNanoseconds)
            {
                throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"{field} in Healthcheck cannot be less than 1ms");
            }
        }

        return new HealthConfig
        {
            Test = string.IsNullOrEmpty(flags.Cmd) ? null : ["CMD-SHELL", flags.Cmd],
            Interval = interval,
            Timeout = timeout,
            StartPeriod = startPeriod,
            StartInterval = startInterval,
            Retries = retries,
        };
    }

    /// <summary>Config.Healthcheck as the container keeps it: the user's, each unset field taken from the image's.</summary>
    public static HealthConfig? Merge(HealthConfig? user, HealthConfig? image)
    {
        if (user is null || image is null)
        {
            return user ?? image;
        }

        return user with
        {
            Test = user.Test is { Count: > 0 } ? user.Test : image.Test,
            Interval = user.Interval != 0 ? user.Interval : image.Interval,
            Timeout = user.Timeout != 0 ? user.Timeout : image.Timeout,
            StartPeriod = user.StartPeriod != 0 ? user.StartPeriod : image.StartPeriod,
            StartInterval = user.StartInterval != 0 ? user.StartInterval : image.StartInterval,
            Retries = user.Retries != 0 ? user.Retries : image.Retries,
        };
    }

    /// <summary>A duration flag with Go's time.ParseDuration grammar and pflag's error wording; 0 when absent.</summary>
    public static long Duration(string flag, string? value)
    {
        if (value is null)
        {
            return 0;
        }

        return GoDuration.TryParse(value, out var nanoseconds)
            ? nanoseconds
            : throw new EngineException($"invalid argument \"{value}\" for \"{flag}\" flag: time: invalid duration \"{value}\"");
    }
}
