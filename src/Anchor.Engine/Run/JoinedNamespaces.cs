using System.Globalization;
using Anchor.Engine.Containers;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Run;

/// <summary>
/// --pid container:NAME and --ipc container:NAME: the spec's pid or ipc namespace gets the path
/// /proc/PID/ns/… of that container's init, resolved at every start as for --network
/// container:NAME (<see cref="NetworkNamespaces"/>). docker's checks and words (moby 20.10
/// daemon/container_operations_unix.go getPidContainer, getIpcContainer): the container must run,
/// and an IPC donor must have been made shareable.
/// </summary>
public static class JoinedNamespaces
{
    public static IReadOnlyList<SpecNamespace> Resolve(IEnumerable<SpecNamespace> namespaces, RunOptions options, ContainerStore containers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(containers);
        var list = namespaces.ToList();
        if (NamespaceModes.JoinedName(options.PidMode) is { } pidDonor)
        {
            var path = NamespacePath(PidDonor(pidDonor, containers), "pid");
            list = [.. list.Select(n => n.Type == "pid" ? n with { Path = path } : n)];
        }

        if (NamespaceModes.JoinedName(options.IpcMode) is { } ipcDonor)
        {
            var path = NamespacePath(IpcDonor(ipcDonor, containers), "ipc");
            list = [.. list.Select(n => n.Type == "ipc" ? n with { Path = path } : n)];
        }

        return list;
    }

    /// <summary>The running container whose pid namespace --pid container:NAME joins.</summary>
    public static ContainerRecord PidDonor(string name, ContainerStore containers)
    {
        ArgumentNullException.ThrowIfNull(containers);
        ContainerRecord donor;
        try
        {
            donor = ProcessLiveness.Refresh(containers.Find(name));
        }
        catch (EngineException e) when (e.NotFound)
        {
            throw EngineException.Daemon(EngineErrorKind.Conflict, $"cannot join PID of a non running container: {name}: {e.Message}");
        }

        return IsRunning(donor) ? donor : throw EngineException.Daemon(EngineErrorKind.Conflict, $"Container {donor.Id} is not running");
    }

    /// <summary>The running, shareable container whose ipc namespace (and /dev/shm) --ipc container:NAME joins.</summary>
    public static ContainerRecord IpcDonor(string name, ContainerStore containers)
    {
        ArgumentNullException.ThrowIfNull(containers);
        var prefix = $"can't join IPC of container {name}";
        ContainerRecord donor;
        try
        {
            donor = ProcessLiveness.Refresh(containers.Find(name));
        }
        catch (EngineException e) when (e.NotFound)
        {
            throw EngineException.Daemon(EngineErrorKind.NotFound, $"{prefix}: {e.Message}");
        }

        if (!IsRunning(donor))
        {
            throw EngineException.Daemon(EngineErrorKind.Conflict, $"{prefix}: Container {donor.Id} is not running");
        }

        return donor.Options?.IpcMode == "shareable"
            ? donor
            : throw EngineException.Daemon(EngineErrorKind.Conflict, $"{prefix}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)");
    }

    private static bool IsRunning(ContainerRecord record) =>
        record.Status is ContainerStatus.Running or ContainerStatus.Paused && record.Pid > 0;

    private static string NamespacePath(ContainerRecord donor, string kind) =>
        $"/proc/{donor.Pid.ToString(CultureInfo.InvariantCulture)}/ns/{kind}";
}
