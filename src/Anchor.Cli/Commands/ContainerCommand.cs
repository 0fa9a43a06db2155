using System.CommandLine;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor container ls|create|start|attach|stop|restart|kill|wait|logs|exec|inspect|rm|run|cp|export|commit</c>, docker's management command.</summary>
public static class ContainerCommand
{
    public static Command Create()
    {
        var ls = PsCommand.Create("ls");
        ls.Aliases.Add("list");
        ls.Aliases.Add("ps");
        return new Command("container", "Manage containers")
        {
            ls,
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
            InspectCommand.Create("inspect", "container").Described("Display detailed information on one or more containers"),
            RmCommand.Create(),
            PauseCommand.Create(pause: true),
            PauseCommand.Create(pause: false),
            RenameCommand.Create(),
            TopCommand.Create(),
            PruneCommand.Create(),
            CpCommand.Create(),
            ExportCommand.Create(),
            CommitCommand.Create(),
            UpdateCommand.Create(),
            DiffCommand.Create(),
            PortCommand.Create(),
            StatsCommand.Create(),
        };
    }

    /// <summary>The command with the description docker's group lists it under.</summary>
    private static Command Described(this Command command, string description)
    {
        command.Description = description;
        return command;
    }
}
