namespace Anchor.Engine.Inspect;

/// <summary>Fields of docker's inspect that come from what the user gave, not from the runtime's spec.</summary>
public static class InspectDefaults
{
    /// <summary>
    /// Config.Env as moby's create merges it (daemon/commit.go merge): the user's variables in
    /// their order (--env-file first, then -e), then the image's whose names the user did not set.
    /// Nothing the runtime adds (HOSTNAME, HOME, TERM). Null when both are empty, as docker's nil
    /// slice. Without the image (removed since), the spec's environment is the best left.
    /// </summary>
    public static IReadOnlyList<string>? ConfigEnv(IReadOnlyList<string> user, IReadOnlyList<string>? image, IReadOnlyList<string>? spec)
    {
        if (image is null)
        {
            return spec;
        }

        var names = user.Select(Name).ToHashSet(StringComparer.Ordinal);
        List<string> env = [.. user, .. image.Where(e => !names.Contains(Name(e)))];
        return env.Count > 0 ? env : null;
    }

    /// <summary>HostConfig.Tmpfs: --tmpfs PATH[:OPTIONS] as path → options (docker/cli opts parse); null (omitted) when none.</summary>
    public static IReadOnlyDictionary<string, string>? Tmpfs(IReadOnlyList<string> flags)
    {
        if (flags.Count == 0)
        {
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var flag in flags)
        {
            var colon = flag.IndexOf(':', StringComparison.Ordinal);
            map[colon < 0 ? flag : flag[..colon]] = colon < 0 ? "" : flag[(colon + 1)..];
        }

        return map;
    }

    private static string Name(string entry)
    {
        var eq = entry.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? entry : entry[..eq];
    }
}
