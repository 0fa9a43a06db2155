using System.CommandLine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor image ls|inspect|tag|rm|import|load</c>: docker's management-command aliases.</summary>
public static class ImageCommand
{
    public static Command Create()
    {
        var command = new Command("image", "Manage images");
        var ls = ImagesCommand.Create("ls");
        ls.Aliases.Add("list");
        command.Subcommands.Add(ls);
        command.Subcommands.Add(InspectCommand.Create("inspect", "image"));
        command.Subcommands.Add(TagCommand.Create("tag"));
        var rm = RmiCommand.Create("rm");
        rm.Aliases.Add("remove");
        command.Subcommands.Add(rm);
        command.Subcommands.Add(ImportCommand.Create("import"));
        command.Subcommands.Add(LoadCommand.Create("load"));
        command.Subcommands.Add(SaveCommand.Create("save"));
        command.Subcommands.Add(HistoryCommand.Create("history"));
        command.Subcommands.Add(PruneImagesCommand.Create());
        command.Subcommands.Add(PullCommand.Create("pull"));
        command.Subcommands.Add(PushCommand.Create("push"));
        return command;
    }
}
