using System.Globalization;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// Moving a process between cgroups takes the global cgroup_threadgroup_rwsem for writing, and the
/// first writer after a quiet spell waits for an RCU grace period (percpu_down_write → rcu_sync_enter):
/// about 8 ms here, on the critical path of every container start. Writers that follow within a
/// grace period of the last one skip that wait. So, as soon as the container's cgroup exists, the
/// cgroup thread makes a no-op move (this process into the cgroup it is already in) while the init
/// stage is still being spawned; the grace period then passes during the spawn, and the real move
/// of the container right after it is cheap. Only where the launcher moves the process (cgroup v2,
/// an exec, the init stage): on v1 a spawned child joins by itself without that lock
/// (<see cref="CgroupCreation.TakeTasksFiles"/>), and a warm-up would only hold cgroup_mutex, which
/// its join needs, through the grace period.
/// </summary>
public static class CgroupWarmup
{
    /// <summary>The no-op move; blocks for the grace period, so call it where nothing waits on it.</summary>
    public static void Touch(string root = CgroupDetector.DefaultRoot)
    {
        try
        {
            var procs = OwnProcsFile(root, CgroupDetector.Detect(root));
            if (procs is null)
            {
                return;
            }

            var fd = LibC.open(procs, LibC.O_WRONLY | LibC.O_CLOEXEC, 0);
            if (fd < 0)
            {
                return;
            }

            try
            {
                Sys.WriteAll(fd, System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
            }
            finally
            {
                LibC.close(fd);
            }
        }
        catch (Exception e) when (e is IOException or LinuxException or UnauthorizedAccessException)
        {
            // Only an optimisation: the real move works the same without it.
        }
    }

    /// <summary>The cgroup.procs of the group this process is in: the pids hierarchy on v1, the unified one on v2.</summary>
    private static string? OwnProcsFile(string root, CgroupVersion version)
    {
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            if (version == CgroupVersion.V2 && parts[0] == "0" && parts[1].Length == 0)
            {
                return Path.Combine(root + parts[2], "cgroup.procs");
            }

            if (version == CgroupVersion.V1 && parts[1] == "pids")
            {
                return Path.Combine(root, "pids" + parts[2], "cgroup.procs");
            }
        }

        return null;
    }
}
