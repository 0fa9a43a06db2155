using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Run;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor create [OPTIONS] IMAGE [COMMAND] [ARG...]</c>: prints the new container's ID.</summary>
public static class CreateCommand
{
    public static Command Create() => RunCommand.Define("create", "Create a new container", result =>
    {
        var engine = new AnchorEngine(GlobalOptions.Paths(result));
        RunOptions options;
        try
        {
            options = RunCommand.ToOptions(result);
        }
        catch (EngineException e) when (e.Message.StartsWith("Error response from daemon: ", StringComparison.Ordinal))
        {
            // Checks anchor makes while parsing that docker's daemon makes (restart policy, health intervals).
            throw new EngineException(e.Message, e.ExitCode) { FromDaemon = true };
        }

        try
        {
            Console.WriteLine(engine.Lifecycle.Create(options).Id);
        }
        catch (Exception e) when (e is not EngineException { FromDaemon: true })
        {
            // docker's create hands the daemon's (and the pull's) errors back unwrapped: exit 1, no hint.
            throw new EngineException(Anchor.Linux.ErrorText.Of(e), e is EngineException engineError ? engineError.ExitCode : ExitCodes.EngineError) { FromDaemon = true };
        }

        return 0;
    }, withDetach: false);
}
