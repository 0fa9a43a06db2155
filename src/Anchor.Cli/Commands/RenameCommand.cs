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
        // The daemon's refusals (no such container, name in use) as docker prints them.
        command.SetAction(result => ContainerVerb.ForEach(
            [result.GetValue(container)!],
            name => CliEngine.Of(result).Lifecycle.Rename(name, result.GetValue(newName)!),
            echo: false));
        return command;
    }
}
