using Anchor.Oci.Runtime;

namespace Anchor.Engine.Run;

/// <summary>
/// docker's --ipc, --pid and --uts modes (api/types/container IpcMode, PidMode, UTSMode Valid) and
/// the namespaces they give the spec (moby daemon/oci_linux.go WithNamespaces): "host" shares the
/// host's, container:NAME joins that container's (its path is resolved at every start,
/// <see cref="JoinedNamespaces"/>), anything else makes a new one.
/// </summary>
public static class NamespaceModes
{
    public const string ContainerPrefix = "container:";

    /// <summary>
    /// --ipc: "", none, private, shareable, host, container:NAME. docker 20.10's CLI leaves --ipc to
    /// the daemon, which refuses another value as it builds the spec, at the start (moby
    /// daemon/oci_linux.go WithNamespaces): "Invalid IPC mode: X", without the usage hint.
    /// </summary>
    public static string? ParseIpc(string? value) => value switch
    {
        null or "" => null,
        "none" or "private" or "shareable" or "host" => value,
        _ when JoinedName(value) is { Length: > 0 } => value,
        _ => throw EngineException.Daemon(EngineErrorKind.Internal, $"Invalid IPC mode: {value}").AtStart(),
    };

    /// <summary>--pid: "", host, container:NAME (docker/cli: "--pid: invalid PID mode").</summary>
    public static string? ParsePid(string? value) => value switch
    {
        null or "" => null,
        "host" => value,
        _ when JoinedName(value) is { Length: > 0 } => value,
        _ => throw new EngineException("--pid: invalid PID mode"),
    };

    /// <summary>--uts: "" or host (docker/cli: "--uts: invalid UTS mode").</summary>
    public static string? ParseUts(string? value) => value switch
    {
        null or "" => null,
        "host" => value,
        _ => throw new EngineException("--uts: invalid UTS mode"),
    };

    /// <summary>The container named by a container:NAME mode, or null for any other mode.</summary>
    public static string? JoinedName(string? mode) =>
        mode is not null && mode.StartsWith(ContainerPrefix, StringComparison.Ordinal) ? mode[ContainerPrefix.Length..] : null;

    /// <summary>
    /// The spec's namespaces for these options: pid and ipc unless shared with the host, the mount
    /// namespace always, uts unless --uts host or the host's network (docker shares the host's UTS
    /// namespace along with its network), the network namespace unless --network host.
    /// </summary>
    public static List<SpecNamespace> For(RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<SpecNamespace> namespaces = [];
        if (options.PidMode != "host")
        {
            namespaces.Add(new SpecNamespace { Type = "pid" });
        }

        if (options.IpcMode != "host")
        {
            namespaces.Add(new SpecNamespace { Type = "ipc" });
        }

        namespaces.Add(new SpecNamespace { Type = "mount" });
        if (options.Network != NetworkMode.Host && options.UtsMode != "host")
        {
            namespaces.Add(new SpecNamespace { Type = "uts" });
        }

        if (options.Network != NetworkMode.Host)
        {
            namespaces.Add(new SpecNamespace { Type = "network" });
        }

        // --userns=auto, --uidmap: made first, the others inside it (Userns/UserNamespaceSettings).
        if (Userns.UserNamespaceSettings.Wanted(options))
        {
            namespaces.Add(new SpecNamespace { Type = "user" });
        }

        return namespaces;
    }
}
