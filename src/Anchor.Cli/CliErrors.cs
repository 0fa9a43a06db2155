using System.CommandLine;
using Anchor.Engine;

namespace Anchor.Cli;

/// <summary>
/// How docker's CLI prints a failure (docker/cli cmd/docker/docker.go main, cli/command/container
/// run.go reportError, cli/cobra.go FlagErrorFunc, cli/required.go), with "anchor" for "docker":
/// <list type="bullet">
/// <item>run and create: <c>anchor: MESSAGE.</c> and <c>See 'anchor run --help'.</c>, exit 125
/// (or 126/127); no hint when the container's start failed (docker prints none after ContainerStart).</item>
/// <item>a flag error: the message and the hint, without the prefix, exit 125.</item>
/// <item>every other verb: the message as it is, exit 1 (docker's main exits 1 for any error
/// that is not a StatusError; exec's 126/127 are kept).</item>
/// </list>
/// </summary>
public static class CliErrors
{
    public const int GenericError = 1;

    /// <summary>docker's "docker: 'foo' is not a docker command." (root command's RunE), exit 1.</summary>
    public static int NotACommand(string verb)
    {
        Console.Error.WriteLine($"anchor: '{verb}' is not a anchor command.");
        Console.Error.WriteLine("See 'anchor --help'");
        return GenericError;
    }

    /// <summary>
    /// cli/required.go (docker 20.10): <c>"docker run" requires at least 1 argument.</c>, the hint,
    /// then the usage line and the command's description; exit 1.
    /// </summary>
    public static int WrongArgumentCount(Command command, string path, int? minimum = null)
    {
        var min = minimum ?? command.Arguments.Sum(a => a.Arity.MinimumNumberOfValues);
        var max = command.Arguments.Sum(a => Math.Min(a.Arity.MaximumNumberOfValues, 100_000));
        // cli/required.go: NoArgs, RequiresMinArgs, RequiresMaxArgs, RequiresRangeArgs, ExactArgs.
        var count = max >= 100_000 ? $"requires at least {min}" : max == min ? $"requires exactly {min}" : min == 0 ? $"requires at most {max}" : $"requires at least {min} and at most {max}";
        var plural = (max >= 100_000 ? min : max) == 1 ? "argument" : "arguments";
        var usage = UsageLine(command, path);
        Console.Error.WriteLine(max == 0 ? $"\"{path}\" accepts no arguments." : $"\"{path}\" {count} {plural}.");
        Console.Error.WriteLine($"See '{path} --help'.");
        Console.Error.WriteLine();
        Console.Error.WriteLine($"Usage:  {usage}");
        Console.Error.WriteLine();
        Console.Error.WriteLine(command.Description);
        return GenericError;
    }

    /// <summary>
    /// docker's usage line: an optional argument in brackets, a repeatable one followed by
    /// "[NAME...]" (cobra's Use strings); names that already spell their shape are kept.
    /// </summary>
    public static string UsageLine(Command command, string path)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (SpecialUsage.TryGetValue(command.Name, out var special))
        {
            return string.Format(System.Globalization.CultureInfo.InvariantCulture, special, path);
        }

        return path + (command.Options.Count > 0 ? " [OPTIONS]" : "") + string.Concat(command.Arguments.Select(a => " " + UsageOf(a)));
    }

    private static string UsageOf(Argument argument) => argument switch
    {
        _ when argument.Name.Contains(' ', StringComparison.Ordinal) || argument.Name.Contains("...", StringComparison.Ordinal) => argument.Name,
        { Arity.MaximumNumberOfValues: > 1, Arity.MinimumNumberOfValues: 0 } => $"[{argument.Name}...]",
        { Arity.MaximumNumberOfValues: > 1 } => $"{argument.Name} [{argument.Name}...]",
        { Arity.MinimumNumberOfValues: 0 } => $"[{argument.Name}]",
        _ => argument.Name,
    };

    /// <summary>Usage lines that are not one line of arguments ({0} is the command path).</summary>
    private static readonly Dictionary<string, string> SpecialUsage = new(StringComparer.Ordinal)
    {
        ["cp"] = "{0} [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\t{0} [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
    };

    /// <summary>Whether the command got more positional arguments than it takes (cobra's Args check).</summary>
    public static bool ExtraArguments(ParseResult result) =>
        result.UnmatchedTokens.Count > 0 && !result.UnmatchedTokens[0].StartsWith('-') &&
        result.CommandResult.Command.Subcommands.Count == 0 &&
        result.Errors.All(e => e.Message.StartsWith("Unrecognized command or argument", StringComparison.Ordinal));

    /// <summary>
    /// A management command with an unknown or no subcommand and arguments (cli/required.go NoArgs
    /// for a command with subcommands): a blank line and the group's usage on stderr, exit 1.
    /// </summary>
    public static int GroupUsage(Command group, string path)
    {
        ArgumentNullException.ThrowIfNull(group);
        Console.Error.WriteLine();
        Console.Error.WriteLine($"Usage:  {path} COMMAND");
        Console.Error.WriteLine();
        Console.Error.WriteLine(group.Description);
        Console.Error.WriteLine();
        Console.Error.WriteLine("Commands:");
        var visible = group.Subcommands.Where(c => !c.Hidden).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var width = visible.Max(c => c.Name.Length);
        foreach (var sub in visible)
        {
            Console.Error.WriteLine($"  {sub.Name.PadRight(width)}   {sub.Description}");
        }

        Console.Error.WriteLine();
        Console.Error.WriteLine($"Run '{path} COMMAND --help' for more information on a command.");
        return GenericError;
    }

    /// <summary>Whether the command got fewer positional arguments than it needs (cobra's Args check).</summary>
    public static bool MissingArguments(System.CommandLine.Parsing.CommandResult result) =>
        result.Command.Arguments.Count > 0 &&
        result.Tokens.Count(t => t.Type == System.CommandLine.Parsing.TokenType.Argument) < result.Command.Arguments.Sum(a => a.Arity.MinimumNumberOfValues);

    /// <summary>The command path docker prints: "anchor run", "anchor network create".</summary>
    public static string PathOf(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var current = result; current is not null; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(current.Parent is null ? "anchor" : current.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>"run" or "create" for docker's run/create and container run/create; the command path otherwise.</summary>
    public static string VerbOf(System.CommandLine.Parsing.CommandResult result)
    {
        var name = result.Command.Name;
        var parent = result.Parent as System.CommandLine.Parsing.CommandResult;
        return name is "run" or "create" && (parent?.Parent is null || parent.Command.Name == "container")
            ? name
            : string.Join(' ', PathOf(result).Split(' ').Skip(1));
    }

    /// <summary>One failure of VERB (the command's name: run, create, tag…) as docker prints it; returns docker's exit code.</summary>
    public static int Report(Exception e, string? verb, bool debug)
    {
        var (text, code) = Describe(e, verb);
        Console.Error.WriteLine(text);
        if (debug)
        {
            Console.Error.WriteLine(e);
        }

        return code;
    }

    /// <summary>What <see cref="Report"/> prints for a failure of VERB (one or two lines) and the exit code it returns.</summary>
    public static (string Text, int ExitCode) Describe(Exception e, string? verb)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is ClientSideException)
        {
            return (e.Message, GenericError);
        }

        var code = e is EngineException engine ? engine.ExitCode : ExitCodes.EngineError;
        var text = TextOf(e);
        if (IsFlagError(text))
        {
            var hint = verb is null ? "anchor" : "anchor " + verb;
            return (text.Contains("\nSee '", StringComparison.Ordinal) ? text : $"{text}\nSee '{hint} --help'.", code);
        }

        if (verb is "create" && e is EngineException { FromDaemon: true })
        {
            // docker's create returns the daemon's error unwrapped (cli/command/container/create.go):
            // no "docker: " and no hint, exit 1; only run turns it into 125.
            return (text, code == ExitCodes.EngineError ? GenericError : code);
        }

        if (verb is "run" or "create")
        {
            // reportError: the message ends in exactly one period.
            var line = "anchor: " + text.TrimEnd('.') + ".";
            return (e is EngineException { StartFailure: true } ? line : $"{line}\nSee 'anchor {verb} --help'.", code);
        }

        if (ClientWordsNotFound(verb, e, text))
        {
            return ("Error: " + text, code == ExitCodes.EngineError ? GenericError : code);
        }

        return (text, code == ExitCodes.EngineError ? GenericError : code);
    }

    /// <summary>
    /// docker's client library words a 404 itself, "Error: No such OBJECT: ID", for the calls that
    /// pass it through wrapResponseError (docker/docker client/errors.go): the inspect that logs,
    /// exec, port, attach and start -a make first, rm's remove, and cp's archive requests
    /// ("container:path" is the object there).
    /// </summary>
    private static bool ClientWordsNotFound(string? verb, Exception e, string text) =>
        verb is "logs" or "exec" or "port" or "attach" or "rm" or "cp" && e is EngineException { Kind: EngineErrorKind.NotFound, FromDaemon: false }
        && text.StartsWith("No such container", StringComparison.Ordinal);

    /// <summary>
    /// The line docker's CLI prints for a failure: an engine failure that docker's daemon reports
    /// after "Error response from daemon: ", anything else as it is.
    /// </summary>
    public static string TextOf(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var text = Anchor.Linux.ErrorText.Of(e);
        return e is EngineException { FromDaemon: true } ? FromDaemon(text) : text;
    }

    /// <summary>
    /// A daemon-side failure as docker's client prints it: "Error response from daemon: TEXT", once
    /// (a text that already carries the prefix, or the client's "Error: …", keeps its own).
    /// </summary>
    public static string FromDaemon(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.StartsWith(DaemonPrefix, StringComparison.Ordinal) || text.StartsWith("Error: ", StringComparison.Ordinal) ? text : DaemonPrefix + text;
    }

    private const string DaemonPrefix = "Error response from daemon: ";

    /// <summary>pflag's errors, which docker's FlagErrorFunc prints with the hint and no prefix.</summary>
    private static bool IsFlagError(string text) =>
        text.StartsWith("unknown flag: ", StringComparison.Ordinal) ||
        text.StartsWith("unknown shorthand flag: ", StringComparison.Ordinal) ||
        (text.StartsWith("invalid argument \"", StringComparison.Ordinal) && text.Contains(" flag: ", StringComparison.Ordinal));
}
