using System.CommandLine;
using Anchor.Engine.Health;
using Anchor.Oci.Image;

namespace Anchor.Cli.Commands;

/// <summary>run/create's health-check flags (docker/cli opts.go); their meaning is <see cref="HealthFlags"/>.</summary>
public static class RunHealthOptions
{
    private static readonly Option<string?> Cmd = new("--health-cmd") { Description = "Command to run to check health" };
    private static readonly Option<string?> Interval = new("--health-interval") { Description = "Time between running the check (ms|s|m|h) (default 0s)" };
    private static readonly Option<string?> Timeout = new("--health-timeout") { Description = "Maximum time to allow one check to run (ms|s|m|h) (default 0s)" };
    private static readonly Option<string?> Retries = new("--health-retries") { Description = "Consecutive failures needed to report unhealthy" };
    private static readonly Option<string?> StartPeriod = new("--health-start-period") { Description = "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)" };
    private static readonly Option<string?> StartInterval = new("--health-start-interval") { Description = "Time between running the check during the start period (ms|s|m|h) (default 0s)" };
    private static readonly Option<bool> NoHealthcheck = new("--no-healthcheck") { Description = "Disable any container-specified HEALTHCHECK" };

    public static void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in (Option[])[Cmd, Interval, Timeout, Retries, StartPeriod, StartInterval, NoHealthcheck])
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The user's Config.Healthcheck, or null when no health flag was given.</summary>
    public static HealthConfig? Parse(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return HealthFlags.Parse(new HealthFlags.Values(
            result.GetValue(Cmd),
            result.GetValue(Interval),
            result.GetValue(Timeout),
            result.GetValue(StartPeriod),
            result.GetValue(StartInterval),
            result.GetValue(Retries),
            result.GetValue(NoHealthcheck)));
    }
}
