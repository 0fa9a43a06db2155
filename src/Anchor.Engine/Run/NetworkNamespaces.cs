using System.Globalization;
using Anchor.Engine.Containers;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Run;

/// <summary>
/// The namespaces a container's init is spawned in. With --network container:NAME the network
/// namespace is joined by path, /proc/PID/ns/net of that container's init, resolved at every start
/// (the PID of the other container changes when it restarts; the bundle keeps no PID).
/// </summary>
public static class NetworkNamespaces
{
    public static IReadOnlyList<SpecNamespace> Resolve(IEnumerable<SpecNamespace> namespaces, RunOptions options, ContainerStore containers)
    {
        if (options.Network != NetworkMode.Container)
        {
            return namespaces.ToList();
        }

        var path = JoinPath(options.NetworkName ?? "", containers);
        return namespaces.Select(n => n.Type == "network" ? n with { Path = path } : n).ToList();
    }

    private static string JoinPath(string name, ContainerStore containers)
    {
        var other = ProcessLiveness.Refresh(containers.Find(name));
        if (other.Status is not (ContainerStatus.Running or ContainerStatus.Paused) || other.Pid <= 0)
        {
            throw EngineException.Daemon(EngineErrorKind.Conflict, $"cannot join network of a non running container: {name}");
        }

        return $"/proc/{other.Pid.ToString(CultureInfo.InvariantCulture)}/ns/net";
    }
}
