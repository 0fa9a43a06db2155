using System.CommandLine;
using Anchor.Cli.Commands;
using Anchor.Engine;
using Anchor.Images;

namespace Anchor.Cli;

/// <summary>The command tree, parse-error handling and the mapping of failures to docker's exit codes.</summary>
public static class AnchorCli
{
    public static int Run(string[] args)
    {
        // A failure on a helper thread is one line too, never the runtime's dump of the
        // exception (whose message would be a bare resource key: see ErrorText).
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            CliErrors.Report(e.ExceptionObject as Exception ?? new InvalidOperationException("unknown failure"), CommandCatalog.VerbOf(args), args.Contains("--debug"));
            Console.Error.Flush();
            Environment.Exit(ExitCodes.EngineError);
        };

        if (CommandCatalog.VerbOf(args) is null && args.Any(a => a is "--version" or "-v"))
        {
            // docker --version (also after global options): one line, "Docker version 20.10.24, build 297e128".
            Console.WriteLine(VersionCommand.ShortLine);
            return 0;
        }

        if (CommandCatalog.VerbOf(args) == "run")
        {
            Linux.PhaseTrace.Mark("cli: prestart");
            // The image is resolved and the seccomp profile prepared on the other core while this one parses, and
            // the container's namespaces are made meanwhile when the flags leave them the defaults.
            Anchor.Engine.Run.RunWarmup.Start(args);
            if (Anchor.Engine.Run.RunPrestart.DefaultNamespacesLikely(args))
            {
                CliEngine.Prestart.Start(Anchor.Engine.Run.SpecFactory.Namespaces(Anchor.Engine.Run.NetworkMode.Bridge));
            }
        }

        else if (CommandCatalog.VerbOf(args) == "exec")
        {
            // The record's and config.json's JSON metadata are made on the other core while this one parses.
            Anchor.Engine.Run.ExecWarmup.Start();
        }

        var root = WantsHelp(args)
            ? HelpRoot(args)
            // A plain root parses the same; RootCommand's constructor also builds its help and
            // version options (a ResourceManager) and looks up the executable's name: 4% of
            // `anchor run`'s CPU under perf, for options only a request for help uses.
            : new Command("anchor", Description);
        root.Options.Add(GlobalOptions.Root);
        root.Options.Add(GlobalOptions.RunRoot);
        root.Options.Add(GlobalOptions.Debug);
        foreach (var command in CommandCatalog.For(args))
        {
            root.Subcommands.Add(command);
        }

        Linux.PhaseTrace.Mark("cli: commands built");
        var result = root.Parse(args);
        Linux.PhaseTrace.Mark("cli: parsed");
        if (result.Errors.Count > 0)
        {
            if (result.CommandResult.Command == root && CommandCatalog.VerbOf(args) is { } unknown)
            {
                return CliErrors.NotACommand(unknown);
            }

            if (CliErrors.MissingArguments(result.CommandResult))
            {
                // exec's one argument holds CONTAINER COMMAND [ARG...]: docker's minimum is 2.
                var command = result.CommandResult.Command;
                return CliErrors.WrongArgumentCount(command, CliErrors.PathOf(result.CommandResult), command.Name == "exec" ? 2 : null);
            }

            if (result.CommandResult.Command != root && result.CommandResult.Command.Subcommands.Count > 0 && result.UnmatchedTokens.Count > 0 && !result.UnmatchedTokens.Any(t => t.StartsWith('-')))
            {
                return CliErrors.GroupUsage(result.CommandResult.Command, CliErrors.PathOf(result.CommandResult));
            }

            if (CliErrors.ExtraArguments(result))
            {
                return CliErrors.WrongArgumentCount(result.CommandResult.Command, CliErrors.PathOf(result.CommandResult));
            }

            // pflag's errors, through docker's FlagErrorFunc: the hint, exit 125.
            Console.Error.WriteLine(result.Errors[0].Message);
            Console.Error.WriteLine($"See '{CliErrors.PathOf(result.CommandResult)} --help'.");
            return ExitCodes.EngineError;
        }

        try
        {
            // No default exception handler (we print one line and docker's code) and no
            // termination handling: run forwards SIGINT/SIGTERM to the container itself.
            return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception e)
        {
            return CliErrors.Report(e, CliErrors.VerbOf(result.CommandResult), result.GetValue(GlobalOptions.Debug));
        }
    }

    private const string Description = "Anchor: a Docker-compatible container engine";

    /// <summary>The root with help and version options; in run and create -h stays the hostname's (docker's).</summary>
    private static RootCommand HelpRoot(string[] args)
    {
        var root = new RootCommand(Description);
        if (CommandCatalog.TakesHostnameShortFlag(args))
        {
            foreach (var help in root.Options.OfType<System.CommandLine.Help.HelpOption>())
            {
                help.Aliases.Remove("-h");
            }
        }

        return root;
    }

    /// <summary>Whether the command line asks for help anywhere, or names no verb (help is printed then).</summary>
    private static bool WantsHelp(string[] args) =>
        CommandCatalog.VerbOf(args) is null || args.Any(a => CommandCatalog.IsHelpToken(a, args) || a is "--version");
}
