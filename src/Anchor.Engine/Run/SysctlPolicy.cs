using Anchor.Oci.Runtime;

namespace Anchor.Engine.Run;

/// <summary>
/// Which --sysctl keys a container may set: docker's client allows only the namespaced ones
/// (docker/cli opts.ValidateSysctl: kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*, net.*), and
/// runc refuses those whose namespace the container shares with the host (libcontainer/configs/
/// validate sysctl()): IPC keys without an ipc namespace, net.* in the host's network namespace.
/// </summary>
public static class SysctlPolicy
{
    private static readonly HashSet<string> IpcKeys = new(StringComparer.Ordinal)
    {
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
        "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
    };

    /// <summary>Every --sysctl of the command line (a later one for a key replaces an earlier one), or null for none.</summary>
    public static IReadOnlyDictionary<string, string>? ParseAll(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return null;
        }

        var sysctls = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var (key, setting) = Parse(value);
            sysctls[key] = setting;
        }

        return sysctls;
    }

    /// <summary>One KEY=VALUE, refused with docker's flag wording unless the key is namespaced.</summary>
    public static (string Key, string Value) Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        var key = equals < 0 ? "" : value[..equals];
        if (key.Length == 0 || !(IpcKeys.Contains(key) || key.StartsWith("net.", StringComparison.Ordinal) || key.StartsWith("fs.mqueue.", StringComparison.Ordinal)))
        {
            // docker 20.10's CLI (opts.ValidateSysctl) says "whitelisted"; later ones say "allowed".
            throw new EngineException($"invalid argument \"{value}\" for \"--sysctl\" flag: sysctl '{value}' is not whitelisted");
        }

        return (key, value[(equals + 1)..]);
    }

    /// <summary>
    /// runc's check against the spec's namespaces, made when the spec is: an IPC key needs an ipc
    /// namespace (own or joined), a net.* key a network namespace other than the host's.
    /// </summary>
    public static void CheckNamespaces(IReadOnlyDictionary<string, string>? sysctls, IReadOnlyList<SpecNamespace> namespaces)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        foreach (var key in sysctls?.Keys ?? [])
        {
            if ((IpcKeys.Contains(key) || key.StartsWith("fs.mqueue.", StringComparison.Ordinal)) && !namespaces.Any(n => n.Type == "ipc"))
            {
                throw RuntimeRefusal($"sysctl \"{key}\" is not allowed in the hosts ipc namespace");
            }

            if (key.StartsWith("net.", StringComparison.Ordinal) && !namespaces.Any(n => n.Type == "network"))
            {
                throw RuntimeRefusal($"sysctl \"{key}\" not allowed in host network namespace");
            }
        }
    }

    /// <summary>
    /// runc's spec validation (libcontainer/configs/validate sysctl) as the daemon passes it on
    /// from the start: containerd's and runc's prefixes, no usage hint.
    /// </summary>
    private static EngineException RuntimeRefusal(string reason) =>
        EngineException.Daemon(EngineErrorKind.Internal, $"failed to create shim task: OCI runtime create failed: runc create failed: {reason}: unknown").AtStart();
}
