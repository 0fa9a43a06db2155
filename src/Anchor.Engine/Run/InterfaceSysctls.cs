using Anchor.Network.Netlink;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;

namespace Anchor.Engine.Run;

/// <summary>
/// --sysctl net.ipv4.conf.eth0.* and the like: written once the container's interfaces exist (a
/// bridge network's eth0 appears only when the endpoint is attached, after the setup sequence wrote
/// the other sysctls) and before anything of the container runs. A thread that setns'es into the
/// container's network namespace writes them through the host's /proc: /proc/sys/net resolves in
/// the writer's network namespace (proc_sys_compare, net_ctl_header_lookup).
/// </summary>
public static class InterfaceSysctls
{
    /// <summary>Writes the spec's interface keys inside the namespaces of <paramref name="namespacePid"/>; runc's error when one fails.</summary>
    public static void Write(Spec spec, int namespacePid)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var keys = (spec.Linux.Sysctl ?? new Dictionary<string, string>()).Where(s => Sysctls.IsInterfaceKey(s.Key)).ToList();
        if (keys.Count == 0)
        {
            return;
        }

        try
        {
            NetnsThread.Run($"/proc/{namespacePid}/ns/net", () =>
            {
                foreach (var (key, value) in keys)
                {
                    Sysctls.Write(key, value);
                }

                return 0;
            });
        }
        catch (InitFailureException e)
        {
            throw OciRuntimeError.Create("error during container init: " + e.Message, ExitCodes.EngineError);
        }
    }
}
