using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor wait CONTAINER...</c>: prints each exit code.</summary>
public static class WaitCommand
{
    public static Command Create()
    {
        var names = ContainerVerb.Containers();
        var command = new Command("wait", "Block until one or more containers stop, then print their exit codes") { names };
        command.SetAction(result =>
        {
            var lifecycle = CliEngine.Of(result).Lifecycle;
            return ContainerVerb.ForEach(result.GetValue(names)!, container => Console.WriteLine(lifecycle.Wait(container)), echo: false);
        });
        return command;
    }
}
