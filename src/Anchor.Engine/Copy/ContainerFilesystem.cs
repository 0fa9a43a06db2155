using Anchor.Engine.Containers;
using Anchor.Linux;
using Anchor.Runtime;

namespace Anchor.Engine.Copy;

/// <summary>
/// The root of a container's filesystem as a <see cref="ScopedRoot"/>: for a running container its
/// init's root (/proc/PID/root, the container's own mount namespace with its volumes and tmpfs
/// mounts), for a stopped one a <see cref="PrivateRootMount"/> taken under the container's lock
/// (the <see cref="DirectoryLock"/> that start and rm take too), so the container cannot start on
/// the same upper directory, nor be removed, while the copy runs.
/// </summary>
internal sealed class ContainerFilesystem : IDisposable
{
    private readonly IDisposable? _mount;
    private readonly DirectoryLock? _startLock;

    private ContainerFilesystem(ScopedRoot root, IDisposable? mount, DirectoryLock? startLock)
    {
        Root = root;
        _mount = mount;
        _startLock = startLock;
    }

    public ScopedRoot Root { get; }

    public static ContainerFilesystem Open(AnchorPaths paths, ContainerStore containers, ContainerRecord record)
    {
        if (TryRunning(record) is { } running)
        {
            return new ContainerFilesystem(running, null, null);
        }

        var startLock = DirectoryLock.Acquire(paths.ContainerDirectory(record.Id)) ?? throw NoSuchContainer(record);
        try
        {
            // Started between our look and the lock: copy into the running container instead.
            var current = containers.Get(record.Id) ?? throw NoSuchContainer(record);
            if (TryRunning(current) is { } started)
            {
                startLock.Dispose();
                return new ContainerFilesystem(started, null, null);
            }

            var mount = PrivateRootMount.Create(new Bundle(paths.ContainerDirectory(record.Id)).Read());
            return new ContainerFilesystem(mount.Root, mount, startLock);
        }
        catch
        {
            startLock.Dispose();
            throw;
        }
    }

    private static EngineException NoSuchContainer(ContainerRecord record) => EngineException.Daemon(EngineErrorKind.NotFound, $"No such container: {record.Name}", 1);

    private static ScopedRoot? TryRunning(ContainerRecord record)
    {
        record = ProcessLiveness.Refresh(record);
        if (record.Status is not (ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting)
            || !ProcessLiveness.IsAlive(record.Pid) || !IsContainerProcess(record))
        {
            return null;
        }

        try
        {
            return ScopedRoot.Confined($"/proc/{record.Pid}/root");
        }
        catch (LinuxException)
        {
            return null; // Exited just now: its filesystem is reachable the stopped way.
        }
    }

    /// <summary>
    /// The recorded PID still is this container's init: it sits in the container's cgroup and in a
    /// mount namespace other than ours. A stale record whose PID now belongs to a host process
    /// would otherwise hand us the host's "/" as the container's root.
    /// </summary>
    private static bool IsContainerProcess(ContainerRecord record)
    {
        try
        {
            return File.ReadAllText($"/proc/{record.Pid}/cgroup").Contains("/anchor/" + record.Id, StringComparison.Ordinal)
                && new FileInfo($"/proc/{record.Pid}/ns/mnt").LinkTarget != new FileInfo("/proc/self/ns/mnt").LinkTarget;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (_mount is null)
        {
            Root.Dispose();
        }

        _mount?.Dispose();
        _startLock?.Dispose();
    }
}
