using System.CommandLine;

namespace Anchor.Cli.Commands;

/// <summary>Every verb of the CLI, docker's names and grouping (image subcommands twice, as in docker).</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        RunCommand.Create(),
        ImagesCommand.Create("images"),
        ImageCommand.Create(),
        TagCommand.Create("tag"),
        RmiCommand.Create("rmi"),
        ImportCommand.Create("import"),
        LoadCommand.Create("load"),
        SaveCommand.Create("save"),
        HistoryCommand.Create("history"),
        PullCommand.Create("pull"),
        PushCommand.Create("push"),
        LoginCommand.Create(),
        LogoutCommand.Create(),
        InspectImageCommand.Create("inspect"),
        PsCommand.Create(),
        RmCommand.Create(),
        VersionCommand.Create(),
    ];
}
