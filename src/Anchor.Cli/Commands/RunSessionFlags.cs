using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Attach;
using Anchor.Engine.Run;

namespace Anchor.Cli.Commands;

/// <summary>
/// run's --sig-proxy and --detach-keys, and run/create's --isolation and --userns (docker/cli
/// container/run.go and opts.go). Detaching needs a monitor, which a foreground run has not: the keys
/// are checked and otherwise unused there, as docker ignores them without a terminal.
/// </summary>
public static class RunSessionFlags
{
    private static readonly Option<bool> SigProxy = new("--sig-proxy") { Description = "Proxy received signals to the process", DefaultValueFactory = _ => true };
    private static readonly Option<string?> DetachKeysFlag = AttachCommand.DetachKeysOption();
    private static readonly Option<string?> Isolation = new("--isolation") { Description = "Container isolation technology" };
    private static readonly Option<string?> Userns = new("--userns") { Description = "User namespace to use" };

    public static void AddTo(Command command, bool run)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Isolation);
        command.Options.Add(Userns);
        if (run)
        {
            command.Options.Add(SigProxy);
            command.Options.Add(DetachKeysFlag);
        }
    }

    public static RunOptions Apply(ParseResult result, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        if (result.GetValue(DetachKeysFlag) is { } keys)
        {
            _ = DetachKeys.Parse(keys);
        }

        CheckUserns(result.GetValue(Userns));
        CheckIsolation(result.GetValue(Isolation));
        return options with { SigProxy = result.GetResult(SigProxy) is null || result.GetValue(SigProxy) };
    }

    /// <summary>
    /// docker's UsernsMode.Valid: "host" or "private" (both the default without userns-remap, which
    /// anchor has not); anything else is the client's error.
    /// </summary>
    public static void CheckUserns(string? mode)
    {
        if (!string.IsNullOrEmpty(mode) && mode.Split(':')[0] is not ("host" or "private"))
        {
            throw new EngineException("--userns: invalid USER mode");
        }
    }

    /// <summary>The daemon's check on Linux (daemon/daemon_unix.go): only "default" (any case) or empty.</summary>
    public static void CheckIsolation(string? isolation)
    {
        if (!string.IsNullOrEmpty(isolation) && !isolation.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Invalid isolation: \"{isolation}\" - linux only supports 'default'");
        }
    }
}
