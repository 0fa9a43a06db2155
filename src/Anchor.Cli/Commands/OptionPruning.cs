using System.CommandLine;

namespace Anchor.Cli.Commands;

/// <summary>
/// `run` has about 75 options, and System.CommandLine's parse walks every one of them (validation,
/// default results) and ToOptions reads every one: 1.7 ms of `anchor run`'s main thread before the
/// container could start. An option that no argument mentions parses to the same value whether or
/// not it is in the tree (an absent bool is false, an absent list empty, an absent value null),
/// so the command is parsed without those. Kept, to be safe: every option that some argument
/// could possibly mean (its alias as a token, with "=" or ":" after it, a short alias glued to a
/// value, or its letter in a bundle of short flags such as -it), every option with a default
/// value (which an absent option would not give), and everything when help is asked for.
/// </summary>
public static class OptionPruning
{
    public static void KeepMentioned(Command command, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        if (args.Any(a => CommandCatalog.IsHelpToken(a, args)))
        {
            return;
        }

        for (var i = command.Options.Count - 1; i >= 0; i--)
        {
            var option = command.Options[i];
            if (!option.HasDefaultValue && !option.Required && !Mentioned(option, args))
            {
                command.Options.RemoveAt(i);
            }
        }
    }

    /// <summary>Whether any argument could be this option (a superset: a wrong yes only keeps an option).</summary>
    public static bool Mentioned(Option option, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(option);
        ArgumentNullException.ThrowIfNull(args);
        foreach (var alias in option.Aliases.Prepend(option.Name))
        {
            var shortFlag = alias.Length == 2 && alias[0] == '-' && alias[1] != '-';
            foreach (var arg in args)
            {
                if (arg.StartsWith(alias, StringComparison.Ordinal)
                    && (arg.Length == alias.Length || arg[alias.Length] is '=' or ':' || shortFlag))
                {
                    return true;
                }

                // A bundle of short flags (-it, -dit): any of its letters.
                if (shortFlag && arg.Length > 2 && arg[0] == '-' && arg[1] != '-' && arg.AsSpan(1).Contains(alias[1]))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
