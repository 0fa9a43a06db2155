using System.Text.Json;

namespace Anchor.Engine.Runtimes;

/// <summary>
/// Which OCI runtime starts a container (<c>run --runtime NAME|PATH</c>, the API's
/// HostConfig.Runtime). <c>anchor</c> (or nothing) is Anchor's own runtime, the default. Other
/// names come from the runtimes table of <see cref="ConfigPath"/>, as dockerd's daemon.json;
/// <c>runc</c> is known without an entry (dockerd always has it: the program named runc on
/// PATH); an absolute path is taken as the program itself.
/// </summary>
public static class RuntimeTable
{
    public const string Own = "anchor";

    public const string DefaultConfigPath = "/etc/anchor/config.json";

    /// <summary>ANCHOR_CONFIG, else /etc/anchor/config.json (there is no daemon whose flags could name it).</summary>
    public static string ConfigPath => Environment.GetEnvironmentVariable("ANCHOR_CONFIG") is { Length: > 0 } path ? path : DefaultConfigPath;

    /// <summary>Whether <paramref name="name"/> (a --runtime value) names a runtime other than Anchor's own.</summary>
    public static bool IsExternal(string? name) => !string.IsNullOrEmpty(name) && name != Own;

    /// <summary>
    /// The options with the runtime resolved to its program and flags (kept in the record: the
    /// monitor that starts it later needs no configuration); unknown names are dockerd's error.
    /// </summary>
    public static Run.RunOptions Resolve(Run.RunOptions options) => Resolve(options, ConfigPath);

    /// <param name="configPath">The configuration file with the runtimes table (a missing file is an empty table).</param>
    public static Run.RunOptions Resolve(Run.RunOptions options, string configPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsExternal(options.Runtime))
        {
            return options with { Runtime = null, RuntimePath = null, RuntimeArgs = [] };
        }

        var entry = Find(options.Runtime!, configPath) ?? throw Unknown(options.Runtime!);
        return options with { RuntimePath = entry.Path, RuntimeArgs = entry.RuntimeArgs ?? [] };
    }

    private static RuntimeEntry? Find(string name, string configPath)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? new RuntimeEntry { Path = name } : null;
        }

        if (Load(configPath).Runtimes?.GetValueOrDefault(name) is { Path: { Length: > 0 } } entry)
        {
            // daemon.json's path may be a bare name looked up on PATH (dockerd's exec.LookPath).
            return entry with { Path = LookPath(entry.Path) };
        }

        return name == "runc" && LookPath("runc") is { } runc ? new RuntimeEntry { Path = runc } : null;
    }

    private static RuntimeConfig Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new RuntimeConfig();
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, RuntimeConfigJsonContext.Default.RuntimeConfig) ?? new RuntimeConfig();
        }
        catch (JsonException e)
        {
            throw new EngineException($"invalid configuration file {path}: {e.Message}");
        }
    }

    private static string? LookPath(string? program)
    {
        if (string.IsNullOrEmpty(program) || program.Contains('/', StringComparison.Ordinal))
        {
            return program;
        }

        var search = Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } p ? p : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        return search.Split(':').Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
    }

    /// <summary>moby daemon: errdefs.InvalidParameter "unknown or invalid runtime name: X" (create, 125).</summary>
    private static EngineException Unknown(string name) =>
        EngineException.Daemon(EngineErrorKind.InvalidParameter, $"unknown or invalid runtime name: {name}");
}
