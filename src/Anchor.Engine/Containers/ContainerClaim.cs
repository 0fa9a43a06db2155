using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Containers;

/// <summary>
/// The first step of every new container (run, create, a build's RUN step): its directory
/// ROOT/containers/ID is made and locked (<see cref="DirectoryLock"/>) before anything else of it
/// exists (cgroup, files, record), so that <see cref="ContainerSweeper"/> can tell a directory
/// being set up (locked) from one whose creator was killed (not locked, no record).
/// </summary>
public static class ContainerClaim
{
    /// <summary>
    /// 0700: only root walks a container's directory (its processes see their root through the
    /// overlay mount and their /etc files through bind mounts), and a setuid file in its upper
    /// directory must be out of other users' reach (CVE-2021-41091).
    /// </summary>
    private const uint Mode = 0x1C0; // 0700

    public static DirectoryLock Take(AnchorPaths paths, string id)
    {
        try
        {
            return DirectoryLock.Create(paths.ContainerDirectory(id), Mode);
        }
        catch (LinuxException e) when (e.Errno == LibC.ENOENT)
        {
            // A new store: ROOT/containers itself is made once, off the usual path, and spreads
            // its containers over the filesystem's block groups (Linux/TopDirectory.cs).
            PrivateDirectory.Create(paths.Containers);
            _ = TopDirectory.TryMark(paths.Containers);
            return DirectoryLock.Create(paths.ContainerDirectory(id), Mode);
        }
    }

    /// <summary>The calling process as a container's owner: its pid and start time (see <see cref="ProcessLiveness.IsAbandoned"/>).</summary>
    public static (int Pid, long StartTime) Self()
    {
        var pid = Environment.ProcessId;
        return (pid, ProcessLiveness.StartTime(pid) ?? 0);
    }
}
