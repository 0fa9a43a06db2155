using Anchor.Engine;

namespace Anchor.Api;

/// <summary>
/// <c>anchor-serve [--root DIR] [--runroot DIR] [-H unix:///PATH] [--group NAME] [--debug]</c>, as
/// <c>anchor serve</c> hands them on (it adds the store's --root/--runroot from its own global options).
/// </summary>
public sealed record ServeOptions(AnchorPaths Paths, string SocketPath, string? Group, bool Debug)
{
    /// <summary>dockerd's default group for its socket (daemon/listeners: "docker"); root's when absent.</summary>
    public const string DefaultGroup = "docker";

    public static ServeOptions Parse(IReadOnlyList<string> args)
    {
        string? root = null, runRoot = null, host = null, group = null;
        var debug = false;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new EngineException($"flag needs an argument: {args[i]}");
            switch (args[i])
            {
                case "--root": root = Value(); break;
                case "--runroot": runRoot = Value(); break;
                case "-H" or "--host": host = Value(); break;
                case "-G" or "--group": group = Value(); break;
                case "-D" or "--debug": debug = true; break;
                case var a when a.StartsWith("--host=", StringComparison.Ordinal): host = a["--host=".Length..]; break;
                case var a when a.StartsWith("--group=", StringComparison.Ordinal): group = a["--group=".Length..]; break;
                default: throw new EngineException($"unknown flag: {args[i]}");
            }
        }

        var paths = AnchorPaths.Resolve(root, runRoot);
        return new ServeOptions(paths, SocketOf(host, paths), group, debug);
    }

    /// <summary>The default socket, RUNROOT/anchor.sock, next to the store's runtime state.</summary>
    public static string DefaultSocket(AnchorPaths paths) => Path.Combine(paths.RunRoot, "anchor.sock");

    private static string SocketOf(string? host, AnchorPaths paths)
    {
        if (host is null)
        {
            return DefaultSocket(paths);
        }

        // dockerd's -H grammar (opts/hosts.go ParseHost): unix:///abs/path; tcp:// is not served yet.
        const string Unix = "unix://";
        if (!host.StartsWith(Unix, StringComparison.Ordinal) || host.Length == Unix.Length)
        {
            throw new EngineException($"invalid host \"{host}\": only unix:///PATH is supported");
        }

        return Path.GetFullPath(host[Unix.Length..]);
    }
}
