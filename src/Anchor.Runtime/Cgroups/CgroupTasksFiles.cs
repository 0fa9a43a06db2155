using Anchor.Linux;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// The descriptors through which a spawned child joins its cgroup by itself
/// (<see cref="GatedSpawn.JoinCgroup"/>): a v1 move of the writer's own thread, which the kernel
/// makes without cgroup_threadgroup_rwsem and its RCU grace period.
/// </summary>
public static class CgroupTasksFiles
{
    /// <summary>
    /// The group's "tasks" files open for writing, or null where the launcher must move the process
    /// instead: cgroup v2, more hierarchies than a child takes, or a file that cannot be opened (a
    /// container an earlier version started has no group in a hierarchy joined since).
    /// </summary>
    public static IReadOnlyList<OwnedFd>? TryOpen(ICgroupManager cgroup)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        try
        {
            var files = cgroup.OpenTasksFiles();
            if (files is not null && files.Count > GatedSpawn.MaxCgroupFiles)
            {
                foreach (var file in files)
                {
                    file.Dispose();
                }

                return null;
            }

            return files;
        }
        catch (CgroupException)
        {
            return null;
        }
    }
}
