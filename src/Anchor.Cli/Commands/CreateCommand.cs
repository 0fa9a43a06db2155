using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Run;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor create [OPTIONS] IMAGE [COMMAND] [ARG...]</c>: prints the new container's ID.</summary>
public static class CreateCommand
{
    public static Command Create() => RunCommand.Define("create", "Create a new container", result =>
    {
        var engine = CliEngine.Of(result);
        var options = RunCommand.ToOptions(result);
        try
        {
            Console.WriteLine(engine.Lifecycle.Create(options).Id);
        }
        catch (Exception e) when (e is not EngineException { FromDaemon: true })
        {
            // docker's create gets every failure after its flags from the daemon (the pull's too):
            // printed after "Error response from daemon: ", exit 1, no hint.
            var kind = e is EngineException known ? known.Kind : EngineErrorKind.Internal;
            throw EngineException.Daemon(kind, Anchor.Linux.ErrorText.Of(e), e is EngineException engineError ? engineError.ExitCode : ExitCodes.EngineError);
        }

        return 0;
    }, withDetach: false);
}
