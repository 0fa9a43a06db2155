using Anchor.Cli.Output.Templates;

namespace Anchor.Cli.Output;

/// <summary>
/// docker ps's COMMAND: the daemon joins Path and Args, putting each argument that holds a space
/// in single quotes (moby container/view.go), and the CLI cuts that to 20 columns with "…" unless
/// --no-trunc, then prints it Go-quoted (docker/cli formatter/container.go, strconv.Quote).
/// </summary>
public static class CommandColumn
{
    private const int Width = 20;

    public static string Of(IReadOnlyList<string> command, bool truncate)
    {
        var text = command.Count == 0
            ? ""
            : command[0] + string.Concat(command.Skip(1).Select(a => " " + (a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a)));
        if (truncate)
        {
            var runes = text.EnumerateRunes().ToArray();
            if (runes.Length > Width)
            {
                text = string.Concat(runes[..(Width - 1)].Select(r => r.ToString())) + "…";
            }
        }

        return GoQuote.Quote(text);
    }
}
