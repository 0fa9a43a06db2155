using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Attach;
using Anchor.Engine.Run;
using Anchor.Engine.Runtimes;
using Anchor.Linux;

namespace Anchor.Cli.Commands;

/// <summary>
/// run/create's --runtime (docker/cli container/opts.go: HostConfig.Runtime): Anchor's own runtime
/// by default, or an external runc-compatible one (<see cref="RuntimeTable"/>). An external runtime
/// always runs under the monitor, so a foreground run of one is create, then start -a.
/// </summary>
public static class RunRuntimeFlag
{
    private static readonly Option<string?> Runtime = new("--runtime") { Description = "Runtime to use for this container" };

    public static void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Runtime);
    }

    public static RunOptions Apply(ParseResult result, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        return result.GetValue(Runtime) is { Length: > 0 } runtime ? options with { Runtime = runtime } : options;
    }

    /// <summary>Whether this run needs the external runtime's foreground path (<see cref="RunAttached"/>).</summary>
    public static bool TakesOver(RunOptions options) => !options.Detach && RuntimeTable.IsExternal(options.Runtime);

    /// <summary>
    /// A foreground run with an external runtime: the monitor is attached to before the container
    /// runs (start -a's socket pair, so no output is lost), and the exit code comes back over it;
    /// --rm is the monitor's, as for run -d --rm.
    /// </summary>
    public static int RunAttached(AnchorEngine engine, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        var record = engine.Lifecycle.Create(options);
        var (client, monitorEnd) = UnixSocket.Pair();
        record = engine.Lifecycle.Start(record.Id, monitorEnd);
        return AttachCommand.Relay(engine, record, client, new AttachOptions
        {
            Stdin = options.Interactive,
            StdinOnce = true,
            SigProxy = options.SigProxy,
        });
    }
}
