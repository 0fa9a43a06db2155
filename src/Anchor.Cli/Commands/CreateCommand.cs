using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor create [OPTIONS] IMAGE [COMMAND] [ARG...]</c>: prints the new container's ID.</summary>
public static class CreateCommand
{
    public static Command Create() => RunCommand.Define("create", "Create a new container", result =>
    {
        var engine = CliEngine.Of(result);
        Console.WriteLine(engine.Lifecycle.Create(RunCommand.ToOptions(result)).Id);
        return 0;
    }, withDetach: false);
}
