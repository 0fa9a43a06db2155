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
            new AnchorEngine(GlobalOptions.Paths(result)).Lifecycle.Rename(result.GetValue(container)!, result.GetValue(newName)!);
            return 0;
        });
        return command;
    }
}
