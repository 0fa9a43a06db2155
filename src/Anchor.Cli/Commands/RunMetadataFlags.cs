using System.CommandLine;
using System.Globalization;
using Anchor.Engine;
using Anchor.Engine.Run;
using Anchor.Engine.Volumes;

namespace Anchor.Cli.Commands;

/// <summary>
/// run and create's metadata and run flags (docker/cli container/opts.go, create.go, run.go):
/// --label, --label-file, --platform, --pull, --cidfile, --stop-timeout, -a/--attach and
/// --volumes-from, with docker's checks of how run's flags combine.
/// </summary>
public static class RunMetadataFlags
{
    private static readonly Option<string[]> Label = new("--label", "-l") { Description = "Set meta data on a container" };
    private static readonly Option<string[]> LabelFile = new("--label-file") { Description = "Read in a line delimited file of labels" };
    private static readonly Option<string?> Platform = new("--platform") { Description = "Set platform if server is multi-platform capable" };
    private static readonly Option<string?> Pull = new("--pull") { Description = "Pull image before running (\"always\", \"missing\", \"never\")" };
    private static readonly Option<string?> CidFile = new("--cidfile") { Description = "Write the container ID to the file" };
    private static readonly Option<string?> StopTimeout = new("--stop-timeout") { Description = "Timeout (in seconds) to stop a container" };
    private static readonly Option<string[]> Attach = new("--attach", "-a") { Description = "Attach to STDIN, STDOUT or STDERR" };
    private static readonly Option<string[]> VolumesFrom = new("--volumes-from") { Description = "Mount volumes from the specified container(s)" };

    public static void AddTo(Command command)
    {
        command.Options.Add(Label);
        command.Options.Add(LabelFile);
        command.Options.Add(Platform);
        command.Options.Add(Pull);
        command.Options.Add(CidFile);
        command.Options.Add(StopTimeout);
        command.Options.Add(Attach);
        command.Options.Add(VolumesFrom);
    }

    /// <summary>The flags' values on top of <paramref name="options"/>; flag errors and docker's parse-time conflicts are 125.</summary>
    public static RunOptions Apply(ParseResult result, RunOptions options)
    {
        // Flag values first (cobra checks each as it parses), then the files, then the combinations.
        var attach = (result.GetValue(Attach) ?? []).Select(AttachStreams.Parse).Distinct(StringComparer.Ordinal).ToList();
        var stopTimeout = ParseStopTimeout(result.GetValue(StopTimeout));
        var labels = LabelSet.Collect(result.GetValue(LabelFile) ?? [], result.GetValue(Label) ?? []);
        var volumesFrom = (result.GetValue(VolumesFrom) ?? []).Select(Anchor.Engine.Volumes.VolumesFrom.Validate).ToList();
        if (options.Remove && options.Restart.Name != RestartPolicy.No.Name)
        {
            // docker/cli opts.go parse (20.10 wording).
            throw new EngineException("Conflicting options: --restart and --rm");
        }

        var platform = result.GetValue(Platform) ?? NonEmpty(System.Environment.GetEnvironmentVariable("DOCKER_DEFAULT_PLATFORM"));
        if (platform is not null)
        {
            _ = Anchor.Engine.Images.PlatformArgument.Parse(platform); // refused before anything is made
        }

        return options with
        {
            Labels = labels,
            Platform = platform,
            Pull = ParsePull(result.GetValue(Pull)),
            CidFile = NonEmpty(result.GetValue(CidFile)),
            StopTimeout = stopTimeout,
            Attach = attach.Count > 0 ? attach : null,
            VolumesFrom = volumesFrom,
        };
    }

    /// <summary>
    /// run's own checks, after the flags (docker/cli run.go runContainer): -a with -d, and a
    /// terminal asked for with stdin attached while anchor's stdin is not one; both exit 1.
    /// </summary>
    public static void CheckRun(RunOptions options)
    {
        if (options.Detach)
        {
            if (options.Attach is { Count: > 0 })
            {
                throw new ClientSideException("Conflicting options: -a and -d");
            }

            return;
        }

        InputTerminal.Check(AttachStreams.AttachesStdin(options), options.Tty);
    }

    private static PullPolicy ParsePull(string? value) => value switch
    {
        null or "" or "missing" => PullPolicy.Missing,
        "always" => PullPolicy.Always,
        "never" => PullPolicy.Never,
        _ => throw new EngineException($"invalid pull option: '{value}': must be one of \"always\", \"missing\" or \"never\""),
    };

    private static int? ParseStopTimeout(string? value)
    {
        if (value is null)
        {
            return null;
        }

        // pflag's IntVar: strconv.ParseInt(s, 0, 64), then int.
        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw new EngineException($"invalid argument \"{value}\" for \"--stop-timeout\" flag: strconv.ParseInt: parsing \"{value}\": invalid syntax");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
