using System.CommandLine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor system check|df|events|info|prune</c>.</summary>
public static class SystemCommand
{
    public static Command Create()
    {
        var command = new Command("system", "Manage Anchor");
        command.Subcommands.Add(SystemCheckCommand.Create());
        command.Subcommands.Add(SystemDfCommand.Create());
        command.Subcommands.Add(EventsCommand.Create());
        command.Subcommands.Add(InfoCommand.Create());
        command.Subcommands.Add(SystemPruneCommand.Create());
        return command;
    }
}
