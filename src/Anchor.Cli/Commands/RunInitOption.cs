using System.CommandLine;

namespace Anchor.Cli.Commands;

/// <summary>run/create's --init: docker-init as the container's PID 1 (docs/architecture.md, "--init").</summary>
public static class RunInitOption
{
    private static readonly Option<bool> Init = new("--init") { Description = "Run an init inside the container that forwards signals and reaps processes" };

    public static void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Init);
    }

    /// <summary>docker's HostConfig.Init: true or false when the flag was given, else null.</summary>
    public static bool? Parse(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.GetResult(Init) is null ? null : result.GetValue(Init);
    }
}
