namespace Anchor.Engine.Run;

/// <summary>
/// <c>--label</c>/<c>-l</c> and <c>--label-file</c> as docker's CLI reads them (opts.ValidateLabel,
/// opts.ReadKVStrings, opts.ConvertKVStringsToMap), and the daemon's merge over the image's labels.
/// </summary>
public static class LabelSet
{
    /// <summary>Whitespace docker trims from a label's name and refuses inside it (opts.whiteSpaces).</summary>
    private static readonly char[] WhiteSpaces = [' ', '\t'];

    /// <summary>
    /// The labels the flags give: the files first (in order), then every <c>-l</c>, later ones
    /// overriding earlier ones. A file's bare <c>KEY</c> line is left out (docker reads label files
    /// with no lookup); a bare <c>-l KEY</c> is the label KEY with an empty value.
    /// </summary>
    public static Dictionary<string, string> Collect(IEnumerable<string> files, IEnumerable<string> labels)
    {
        // docker validates -l while it parses the flags, before it reads any file.
        var fromFlags = labels.Select(Validate).ToList();
        var entries = new List<string>();
        foreach (var file in files)
        {
            try
            {
                entries.AddRange(EnvFile.Read(file, _ => null));
            }
            catch (FormatException e)
            {
                throw new EngineException(e.Message);
            }
        }

        entries.AddRange(fromFlags);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            result[eq < 0 ? entry : entry[..eq]] = eq < 0 ? "" : entry[(eq + 1)..];
        }

        return result;
    }

    /// <summary>One <c>-l</c> value (opts.ValidateLabel): a name, leading whitespace ignored, none inside.</summary>
    public static string Validate(string value)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        var key = (eq < 0 ? value : value[..eq]).TrimStart(WhiteSpaces);
        if (key.Length == 0)
        {
            throw new EngineException($"invalid argument \"{value}\" for \"-l, --label\" flag: invalid label '{value}': empty name");
        }

        if (key.IndexOfAny(WhiteSpaces) >= 0)
        {
            throw new EngineException($"invalid argument \"{value}\" for \"-l, --label\" flag: label '{key}' contains whitespaces");
        }

        return value;
    }

    /// <summary>
    /// Config.Labels as docker's daemon makes it (daemon.merge): the container's labels, plus
    /// every image label the container does not set itself.
    /// </summary>
    public static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string>? image, IReadOnlyDictionary<string, string>? container)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in container ?? new Dictionary<string, string>())
        {
            result[key] = value;
        }

        foreach (var (key, value) in image ?? new Dictionary<string, string>())
        {
            result.TryAdd(key, value);
        }

        return result;
    }
}
