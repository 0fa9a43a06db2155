namespace Anchor.Cli.Oci;

/// <summary>
/// runc's command line as urfave/cli reads it: "--name value", "--name=value", "-n" for a bool
/// ("--name=false" too), flags anywhere before "--", everything else positional. Hand-written: the
/// grammar is small, and runc's callers (containerd, CRI-O, podman) depend on exactly this shape.
/// </summary>
public sealed class OciArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _set = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _all = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    /// <param name="booleans">Names of bool flags (canonical first, aliases after a '|').</param>
    /// <param name="strings">Names of flags that take a value.</param>
    /// <param name="stopAtFirstPositional">The first word that is no flag ends the flags (the global flags before the command).</param>
    public static OciArguments Parse(IReadOnlyList<string> args, string[] booleans, string[] strings, bool stopAtFirstPositional, out int consumed)
    {
        var parsed = new OciArguments();
        var boolNames = Names(booleans);
        var stringNames = Names(strings);
        var i = 0;
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                parsed.Positional.AddRange(args.Skip(i + 1));
                i = args.Count;
                break;
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                if (stopAtFirstPositional)
                {
                    break;
                }

                parsed.Positional.Add(arg);
                continue;
            }

            var name = arg.TrimStart('-');
            string? inline = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }

            if (boolNames.TryGetValue(name, out var boolName))
            {
                parsed._set.Add(boolName);
                parsed._values[boolName] = inline ?? "true";
            }
            else if (stringNames.TryGetValue(name, out var stringName))
            {
                if (inline is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        throw new OciUsageException($"flag needs an argument: {arg}");
                    }

                    inline = args[++i];
                }

                parsed._set.Add(stringName);
                parsed._values[stringName] = inline;
                if (!parsed._all.TryGetValue(stringName, out var all))
                {
                    parsed._all[stringName] = all = [];
                }

                all.Add(inline);
            }
            else
            {
                throw new OciUsageException($"flag provided but not defined: -{name}");
            }
        }

        consumed = i;
        return parsed;
    }

    public bool IsSet(string name) => _set.Contains(name);

    public string? String(string name) => _values.TryGetValue(name, out var value) ? value : null;

    /// <summary>Every value of a repeatable flag (exec's --env), in order.</summary>
    public IReadOnlyList<string> Strings(string name) => _all.TryGetValue(name, out var values) ? values : [];

    public bool Bool(string name) => _values.TryGetValue(name, out var value) && value is not ("false" or "0");

    private static Dictionary<string, string> Names(string[] specs)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var parts = spec.Split('|');
            foreach (var part in parts)
            {
                names[part] = parts[0];
            }
        }

        return names;
    }
}
