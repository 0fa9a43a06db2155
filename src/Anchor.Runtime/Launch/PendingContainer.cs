using Anchor.Oci.Runtime;
using Anchor.Runtime.Cgroups;

namespace Anchor.Runtime.Launch;

/// <summary>
/// A container whose namespaces exist and whose first process has not run yet: the engine
/// prepares the bundle, cgroup and network meanwhile, then releases it. Two ways to get there:
/// <see cref="PendingInit"/> (the hidden <c>anchor init</c> stage) and <see cref="PendingSpawn"/>
/// (a thread sets the container up and posix_spawn(3) starts the user's command directly).
/// Disposing an unreleased one leaves no process behind.
/// </summary>
public abstract class PendingContainer : IDisposable
{
    /// <summary>
    /// A task inside the container's namespaces before the release (its /proc/N/ns/* are the
    /// container's, and IFLA_NET_NS_PID takes it): the init's pid, or the setup thread's id.
    /// </summary>
    public abstract int NamespacePid { get; }

    /// <summary>
    /// The pid the cgroup thread can move into the cgroup before the release (waits for it), or
    /// null when only <see cref="Release"/> can, because the process does not exist before it.
    /// </summary>
    public abstract Func<int>? EarlyCgroupMember { get; }

    /// <summary>Whether the release reads the bundle's config.json (the init stage does; a direct spawn has the spec in memory).</summary>
    public abstract bool ReadsBundle { get; }

    /// <summary>
    /// Gives the container its spec ahead of the release, so that setting it up can overlap with
    /// the engine's last steps (a no-op where the process reads the bundle itself at the release).
    /// </summary>
    /// <param name="cgroupReady">Waits until the container's cgroup exists (the spec's cgroup mounts bind its directories).</param>
    /// <param name="tasksFiles">Waits for the cgroup and hands over its v1 "tasks" files, through
    /// which a spawned child joins it by itself (null, or returning null: the release moves it).</param>
    public virtual void Prepare(Spec spec, Action? cgroupReady = null, Func<IReadOnlyList<Linux.OwnedFd>?>? tasksFiles = null)
    {
    }

    /// <summary>
    /// Mounts the container's root (the spec's "/" mount at <paramref name="root"/>) ahead of the
    /// spec, while the engine still writes the /etc files and builds the rest of the spec; the spec
    /// handed to <see cref="Prepare"/> must then have this root and this "/" mount. A no-op where
    /// the setup happens in another process at the release (the init stage).
    /// </summary>
    public virtual void MountRootEarly(string root, SpecMount rootMount)
    {
    }

    /// <summary>Moves the process into <paramref name="cgroup"/> (unless null) and lets it run the spec's command.</summary>
    /// <param name="beforeExec">Called with the process's host pid once it sits in its cgroup and
    /// before it runs the command (the engine records it as running meanwhile); if it throws, the
    /// process is killed there and the start fails with that message.</param>
    public abstract StartedContainer Release(ICgroupManager? cgroup, Spec spec, Action<int>? beforeExec = null);

    public abstract void Dispose();
}
