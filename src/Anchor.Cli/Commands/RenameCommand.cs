using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor rename CONTAINER NEW_NAME</c>.</summary>
public static class RenameCommand
{
    public static Command Create()
    {
        var container = new Argument<string>("CONTAINER");
        var newName = new Argument<string>("NEW_NAME");
        var command = new Command("rename", "Rename a container") { container, newName };
        command.SetAction(result =>
        {
            // The daemon's refusal (no such container, name in use) as docker prints it, then the
            // CLI's own line (docker/cli cli/command/container/rename.go).
            var old = result.GetValue(container)!;
            var code = ContainerVerb.ForEach([old], name => CliEngine.Of(result).Lifecycle.Rename(name, result.GetValue(newName)!), echo: false);
            if (code != 0)
            {
                Console.Error.WriteLine($"Error: failed to rename container named {old}");
            }

            return code;
        });
        return command;
    }
}
