using Anchor.Build.Dockerfile;
using Anchor.Oci.Image;

namespace Anchor.Engine.Images;

/// <summary>
/// docker import/commit <c>--change</c>: a Dockerfile instruction (CMD, ENTRYPOINT, ENV, WORKDIR,
/// USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL) applied to an image's container config.
/// </summary>
public static class ConfigChanges
{
    public static ContainerConfig Apply(ContainerConfig config, IEnumerable<string> changes)
    {
        foreach (var change in changes)
        {
            var trimmed = change.Trim();
            var space = trimmed.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? trimmed : trimmed[..space]).ToUpperInvariant();
            var rest = space < 0 ? "" : trimmed[(space + 1)..].Trim();
            config = keyword switch
            {
                "CMD" => config with { Cmd = CommandForm(rest) },
                "ENTRYPOINT" => config with { Entrypoint = CommandForm(rest) },
                "ENV" => config with { Env = [.. config.Env ?? [], .. Pairs(rest, keyword)] },
                "WORKDIR" => config with { WorkingDir = rest },
                "USER" => config with { User = rest },
                "STOPSIGNAL" => config with { StopSignal = rest },
                "LABEL" => config with { Labels = Merge(config.Labels, Pairs(rest, keyword)) },
                "EXPOSE" => config with { ExposedPorts = Keys(config.ExposedPorts, rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Contains('/', StringComparison.Ordinal) ? p : p + "/tcp")) },
                "VOLUME" => config with { Volumes = Keys(config.Volumes, StringList(rest)) },
                _ => throw new EngineException($"dockerfile parse error on line 1: unknown instruction: {keyword}"),
            };
        }

        return config;
    }

    /// <summary>JSON (exec) form is used as is; shell form runs under /bin/sh -c, as in a Dockerfile.</summary>
    public static IReadOnlyList<string> CommandForm(string value) =>
        value.StartsWith('[') && DockerfileParser.TryJsonArray(value, out var items) ? items : ["/bin/sh", "-c", value];

    private static IReadOnlyList<string> StringList(string value) =>
        value.StartsWith('[') && DockerfileParser.TryJsonArray(value, out var items) ? items : value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static List<string> Pairs(string value, string keyword)
    {
        if (value.Length == 0)
        {
            throw new EngineException($"{keyword} requires at least one argument");
        }

        // "ENV key value" (legacy form) or "ENV k1=v1 k2=v2".
        if (!value.Split(' ')[0].Contains('=', StringComparison.Ordinal))
        {
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            return space < 0 ? throw new EngineException($"{keyword} must have two arguments") : [$"{value[..space]}={value[(space + 1)..].Trim()}"];
        }

        return value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Replace("\"", "", StringComparison.Ordinal)).ToList();
    }

    private static Dictionary<string, string> Merge(Dictionary<string, string>? existing, IEnumerable<string> pairs)
    {
        var result = existing is null ? new Dictionary<string, string>() : new Dictionary<string, string>(existing);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            result[pair[..eq]] = pair[(eq + 1)..];
        }

        return result;
    }

    private static Dictionary<string, EmptyObject> Keys(Dictionary<string, EmptyObject>? existing, IEnumerable<string> keys)
    {
        var result = existing is null ? new Dictionary<string, EmptyObject>() : new Dictionary<string, EmptyObject>(existing);
        foreach (var key in keys)
        {
            result[key] = new EmptyObject();
        }

        return result;
    }
}
