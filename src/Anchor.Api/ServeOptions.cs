using Anchor.Engine;

namespace Anchor.Api;

/// <summary>
/// <c>anchor-serve [--root DIR] [--runroot DIR] [-H unix:///PATH]… [-H tcp://ADDR:PORT]… [--group NAME] [--debug]</c>,
/// as <c>anchor serve</c> hands them on (it adds the store's --root/--runroot from its own global
/// options). Without -H: the default socket. <see cref="SocketPath"/> is null when only TCP was asked for.
/// </summary>
public sealed record ServeOptions(AnchorPaths Paths, string? SocketPath, string? Group, bool Debug)
{
    /// <summary>The TCP endpoints asked for with -H tcp://: unauthenticated, as dockerd's without TLS.</summary>
    public IReadOnlyList<System.Net.IPEndPoint> TcpEndpoints { get; init; } = [];

    /// <summary>dockerd's port for an unencrypted tcp:// host without one (opts/hosts.go DefaultHTTPPort).</summary>
    public const int DefaultTcpPort = 2375;

    /// <summary>dockerd's default group for its socket (daemon/listeners: "docker"); root's when absent.</summary>
    public const string DefaultGroup = "docker";

    public static ServeOptions Parse(IReadOnlyList<string> args)
    {
        string? root = null, runRoot = null, group = null;
        var hosts = new List<string>();
        var debug = false;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new EngineException($"flag needs an argument: {args[i]}");
            switch (args[i])
            {
                case "--root": root = Value(); break;
                case "--runroot": runRoot = Value(); break;
                case "-H" or "--host": hosts.Add(Value()); break;
                case "-G" or "--group": group = Value(); break;
                case "-D" or "--debug": debug = true; break;
                case var a when a.StartsWith("--host=", StringComparison.Ordinal): hosts.Add(a["--host=".Length..]); break;
                case var a when a.StartsWith("--group=", StringComparison.Ordinal): group = a["--group=".Length..]; break;
                default: throw new EngineException($"unknown flag: {args[i]}");
            }
        }

        var paths = AnchorPaths.Resolve(root, runRoot);
        if (hosts.Count == 0)
        {
            return new ServeOptions(paths, DefaultSocket(paths), group, debug);
        }

        var sockets = hosts.Where(h => !h.StartsWith(Tcp, StringComparison.Ordinal)).Select(SocketOf).Distinct(StringComparer.Ordinal).ToList();
        if (sockets.Count > 1)
        {
            throw new EngineException("only one unix:// socket can be served");
        }

        return new ServeOptions(paths, sockets.SingleOrDefault(), group, debug)
        {
            TcpEndpoints = [.. hosts.Where(h => h.StartsWith(Tcp, StringComparison.Ordinal)).Select(TcpEndpointOf)],
        };
    }

    private const string Tcp = "tcp://";

    /// <summary>tcp://ADDR:PORT, tcp://[V6]:PORT, tcp://:PORT (every address), the port 2375 when left out.</summary>
    private static System.Net.IPEndPoint TcpEndpointOf(string host)
    {
        var rest = host[Tcp.Length..].TrimEnd('/');
        var colon = rest.LastIndexOf(':');
        var address = colon < 0 || rest.EndsWith(']') ? rest : rest[..colon];
        var portText = colon < 0 || rest.EndsWith(']') ? "" : rest[(colon + 1)..];
        var port = DefaultTcpPort;
        if (portText.Length > 0 && (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new EngineException($"invalid host \"{host}\": invalid port \"{portText}\"");
        }

        address = address.Trim('[', ']');
        if (address.Length == 0)
        {
            return new System.Net.IPEndPoint(System.Net.IPAddress.Any, port);
        }

        if (address == "localhost")
        {
            return new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port);
        }

        return System.Net.IPAddress.TryParse(address, out var ip)
            ? new System.Net.IPEndPoint(ip, port)
            : throw new EngineException($"invalid host \"{host}\": \"{address}\" is not an IP address");
    }

    /// <summary>The default socket, RUNROOT/anchor.sock, next to the store's runtime state.</summary>
    public static string DefaultSocket(AnchorPaths paths) => Path.Combine(paths.RunRoot, "anchor.sock");

    private static string SocketOf(string host)
    {
        // dockerd's -H grammar (opts/hosts.go ParseHost): unix:///abs/path or tcp://ADDR:PORT.
        const string Unix = "unix://";
        if (!host.StartsWith(Unix, StringComparison.Ordinal) || host.Length == Unix.Length)
        {
            throw new EngineException($"invalid host \"{host}\": unix:///PATH or tcp://ADDR:PORT");
        }

        return Path.GetFullPath(host[Unix.Length..]);
    }
}
