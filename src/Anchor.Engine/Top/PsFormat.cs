namespace Anchor.Engine.Top;

/// <summary>
/// The ps(1) options <c>top CONTAINER [ps OPTIONS]</c> accepts, read as procps reads them, giving
/// the columns to show: no options is docker's <c>-ef</c>; <c>-e</c>/<c>-A</c> alone is ps's
/// default (PID TTY TIME CMD); <c>-f</c> the full format; <c>aux</c> (BSD u) the user format;
/// <c>-o</c>/<c>o</c>/<c>--format</c> a list of column keys (comma or space separated, each
/// optionally <c>key=HEADER</c>). Selection options (-e, -A, a, x) change nothing here: every
/// process of the container is listed, as docker lists them.
/// </summary>
public static class PsFormat
{
    /// <summary>-f: procps names the user under UID and shows the arguments under CMD.</summary>
    public static IReadOnlyList<(string Key, string Header)> Full { get; } =
        [("user", "UID"), ("pid", "PID"), ("ppid", "PPID"), ("c", "C"), ("stime", "STIME"), ("tty", "TTY"), ("time", "TIME"), ("args", "CMD")];

    public static IReadOnlyList<(string Key, string Header)> Default { get; } = [("pid", "PID"), ("tty", "TTY"), ("time", "TIME"), ("comm", "CMD")];

    public static IReadOnlyList<(string Key, string Header)> BsdUser { get; } =
        [("user", "USER"), ("pid", "PID"), ("%cpu", "%CPU"), ("%mem", "%MEM"), ("vsz", "VSZ"), ("rss", "RSS"), ("tty", "TTY"), ("stat", "STAT"), ("bsdstart", "START"), ("time", "TIME"), ("args", "COMMAND")];

    /// <summary>The columns as (key, header); docker's "-ef" when <paramref name="args"/> is empty.</summary>
    public static IReadOnlyList<(string Key, string Header)> Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0)
        {
            args = ["-ef"];
        }

        var custom = new List<(string, string)>();
        var full = false;
        var bsdUser = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-o" or "o" or "--format" or "-O")
            {
                custom.AddRange(Columns(i + 1 < args.Count ? args[++i] : throw Unsupported(arg)));
            }
            else if (arg.StartsWith("--format=", StringComparison.Ordinal))
            {
                custom.AddRange(Columns(arg["--format=".Length..]));
            }
            else if (arg.StartsWith('-'))
            {
                // Clustered UNIX options (-ef, -eo pid,comm).
                for (var j = 1; j < arg.Length; j++)
                {
                    switch (arg[j])
                    {
                        case 'e' or 'A' or 'a' or 'd' or 'N' or 'w' or 'H' or 'T' or 'L':
                            break;
                        case 'f':
                            full = true;
                            break;
                        case 'o':
                            var list = j + 1 < arg.Length ? arg[(j + 1)..] : i + 1 < args.Count ? args[++i] : throw Unsupported(arg);
                            custom.AddRange(Columns(list));
                            j = arg.Length;
                            break;
                        default:
                            throw Unsupported("-" + arg[j]);
                    }
                }
            }
            else
            {
                // BSD options without a dash (aux, ax, u).
                foreach (var c in arg)
                {
                    switch (c)
                    {
                        case 'a' or 'x' or 'e' or 'w' or 'f' or 'h' or 'r':
                            break;
                        case 'u':
                            bsdUser = true;
                            break;
                        default:
                            throw Unsupported(c.ToString());
                    }
                }
            }
        }

        if (custom.Count > 0)
        {
            return custom;
        }

        return bsdUser ? BsdUser : full ? Full : Default;
    }

    private static IEnumerable<(string, string)> Columns(string list)
    {
        foreach (var item in list.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? item : item[..eq]).ToLowerInvariant();
            if (!PsColumns.Known(key))
            {
                throw EngineException.Daemon(EngineErrorKind.Internal, $"ps: error: unknown user-defined format specifier \"{key}\"", 1);
            }

            yield return (key, eq < 0 ? PsColumns.Header(key) : item[(eq + 1)..]);
        }
    }

    private static EngineException Unsupported(string option) =>
        EngineException.Daemon(EngineErrorKind.Internal, $"ps: error: unsupported option {option}", 1);
}
