using System.CommandLine;

namespace Anchor.Cli.Commands;

/// <summary>Every verb of the CLI, docker's names and grouping (image subcommands twice, as in docker).</summary>
public static class CommandCatalog
{
    /// <summary>Each top-level verb's name and how to build its command.</summary>
    public static IReadOnlyList<(string Name, Func<Command> Create)> Verbs { get; } =
    [
        ("run", RunCommand.Create),
        ("create", CreateCommand.Create),
        ("start", StartCommand.Create),
        ("attach", AttachCommand.Create),
        ("stop", () => StopCommand.Create("stop")),
        ("restart", () => StopCommand.Create("restart")),
        ("kill", KillCommand.Create),
        ("wait", WaitCommand.Create),
        ("logs", LogsCommand.Create),
        ("exec", ExecCommand.Create),
        ("pause", () => PauseCommand.Create(pause: true)),
        ("unpause", () => PauseCommand.Create(pause: false)),
        ("rename", RenameCommand.Create),
        ("top", TopCommand.Create),
        ("stats", StatsCommand.Create),
        ("build", BuildCommand.Create),
        ("builder", BuilderCommand.Create),
        ("commit", CommitCommand.Create),
        ("diff", DiffCommand.Create),
        ("cp", CpCommand.Create),
        ("history", () => HistoryCommand.Create("history")),
        ("images", () => ImagesCommand.Create("images")),
        ("image", ImageCommand.Create),
        ("tag", () => TagCommand.Create("tag")),
        ("rmi", () => RmiCommand.Create("rmi")),
        ("import", () => ImportCommand.Create("import")),
        ("load", () => LoadCommand.Create("load")),
        ("inspect", () => InspectCommand.Create("inspect", null)),
        ("container", ContainerCommand.Create),
        ("volume", VolumeCommand.Create),
        ("network", NetworkCommand.Create),
        ("port", PortCommand.Create),
        ("ps", () => PsCommand.Create("ps")),
        ("save", () => SaveCommand.Create("save")),
        ("pull", () => PullCommand.Create("pull")),
        ("push", () => PushCommand.Create("push")),
        ("login", LoginCommand.Create),
        ("logout", LogoutCommand.Create),
        ("rm", RmCommand.Create),
        ("version", VersionCommand.Create),
        ("export", ExportCommand.Create),
        ("events", EventsCommand.Create),
        ("info", InfoCommand.Create),
        ("system", SystemCommand.Create),
        ("update", UpdateCommand.Create),
        ("serve", ServeCommand.Create),
    ];

    /// <summary>System.CommandLine's help option's aliases: a command line with one asks for help.</summary>
    public static bool IsHelpToken(string arg) => arg is "-h" or "--help" or "-?" or "/?" or "/h";

    /// <summary>
    /// A help token of this command line: in `run` and `create` (also as `container run|create`)
    /// docker's -h is --hostname, and only the other spellings ask for help.
    /// </summary>
    public static bool IsHelpToken(string arg, IReadOnlyList<string> args) =>
        arg is "-h" ? !TakesHostnameShortFlag(args) : IsHelpToken(arg);

    /// <summary>Whether the command is run or create, whose -h is the hostname (docker's run and create).</summary>
    public static bool TakesHostnameShortFlag(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var at = IndexOfVerb(args);
        if (at < 0 || args[at] is not ("run" or "create" or "container"))
        {
            return false;
        }

        if (args[at] != "container")
        {
            return true;
        }

        for (var i = at + 1; i < args.Count; i++)
        {
            if (!args[i].StartsWith('-'))
            {
                return args[i] is "run" or "create";
            }
        }

        return false;
    }

    public static IEnumerable<Command> All() => Verbs.Select(v => v.Create());

    /// <summary>
    /// Only the command the arguments name when they name one, every command otherwise (help, a
    /// typo). Building all forty verbs with their options is most of what parsing costs, and it
    /// is paid by every `anchor run` before the container starts.
    /// </summary>
    public static IEnumerable<Command> For(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var verb = VerbOf(args);
        foreach (var (name, create) in Verbs)
        {
            if (name == verb)
            {
                var command = create();
                if (name is "run" or "create")
                {
                    OptionPruning.KeepMentioned(command, args);
                }

                return [command];
            }
        }

        return All();
    }

    /// <summary>The first argument that is not a global option or its value.</summary>
    public static string? VerbOf(IReadOnlyList<string> args)
    {
        var at = IndexOfVerb(args);
        return at < 0 ? null : args[at];
    }

    private static int IndexOfVerb(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "--root" or "--runroot")
            {
                i++;
            }
            else if (!args[i].StartsWith('-'))
            {
                return i;
            }
        }

        return -1;
    }
}
