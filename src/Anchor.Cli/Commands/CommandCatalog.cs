using System.CommandLine;

namespace Anchor.Cli.Commands;

/// <summary>Every verb of the CLI, docker's names and grouping (image subcommands twice, as in docker).</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        RunCommand.Create(),
        CreateCommand.Create(),
        StartCommand.Create(),
        AttachCommand.Create(),
        StopCommand.Create("stop"),
        StopCommand.Create("restart"),
        KillCommand.Create(),
        WaitCommand.Create(),
        LogsCommand.Create(),
        ExecCommand.Create(),
        PauseCommand.Create(pause: true),
        PauseCommand.Create(pause: false),
        RenameCommand.Create(),
        TopCommand.Create(),
        StatsCommand.Create(),
        BuildCommand.Create(),
        CommitCommand.Create(),
        DiffCommand.Create(),
        CpCommand.Create(),
        HistoryCommand.Create("history"),
        ImagesCommand.Create("images"),
        ImageCommand.Create(),
        TagCommand.Create("tag"),
        RmiCommand.Create("rmi"),
        ImportCommand.Create("import"),
        LoadCommand.Create("load"),
        InspectCommand.Create("inspect", null),
        ContainerCommand.Create(),
        VolumeCommand.Create(),
        NetworkCommand.Create(),
        PortCommand.Create(),
        PsCommand.Create("ps"),
        SaveCommand.Create("save"),
        PullCommand.Create("pull"),
        PushCommand.Create("push"),
        LoginCommand.Create(),
        LogoutCommand.Create(),
        RmCommand.Create(),
        VersionCommand.Create(),
    ];
}
