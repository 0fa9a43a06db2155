using System.Globalization;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Init;

/// <summary>
/// A bind mount whose source lives in another process's mount namespace, named /proc/PID/root/PATH
/// (--ipc container:NAME binds the donor's /dev/shm tmpfs). mount(2) and open_tree(2) refuse a
/// mount of a foreign namespace (EINVAL), so the calling thread setns(2)es into that namespace,
/// clones the mount there with open_tree(OPEN_TREE_CLONE), returns to its own namespace and
/// attaches the detached copy with move_mount(2). setns(CLONE_NEWNS) needs a thread with its own
/// fs_struct: the namespace thread of a direct spawn has one (it unshared CLONE_NEWNS); in the init
/// stage, whose threads share theirs, a helper thread unshares CLONE_FS and does it.
/// </summary>
public static class ForeignBind
{
    private const string Prefix = "/proc/";

    /// <summary>Whether <paramref name="source"/> has the form /proc/PID/root/PATH.</summary>
    public static bool TryParse(string source, out int pid, out string path)
    {
        ArgumentNullException.ThrowIfNull(source);
        pid = 0;
        path = "";
        if (!source.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = source[Prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !int.TryParse(rest[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out pid) || pid <= 0)
        {
            return false;
        }

        var after = rest[slash..];
        if (!after.StartsWith("/root/", StringComparison.Ordinal))
        {
            return false;
        }

        path = after["/root".Length..];
        return true;
    }

    public static void Mount(int pid, string path, string target)
    {
        try
        {
            MountOnThisThread(pid, path, target);
        }
        catch (LinuxException e) when (e.Errno == LibC.EINVAL && e.Operation == "setns" && e.Subject == DonorNamespace(pid))
        {
            // Refused before anything changed: this thread shares its fs_struct.
            Exception? failure = null;
            var helper = new Thread(() =>
            {
                try
                {
                    Sys.Unshare(LibC.CLONE_FS);
                    MountOnThisThread(pid, path, target);
                }
                catch (Exception inner) when (inner is LinuxException or IOException)
                {
                    failure = inner;
                }
            }, maxStackSize: 256 * 1024) { Name = "anchor-shm" };
            helper.Start();
            helper.Join();
            if (failure is not null)
            {
                throw failure;
            }
        }
    }

    private static string DonorNamespace(int pid) => $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/mnt";

    private static void MountOnThisThread(int pid, string path, string target)
    {
        var donorPath = DonorNamespace(pid);
        using var own = OwnedFd.Check(LibC.open("/proc/thread-self/ns/mnt", LibC.O_RDONLY | LibC.O_CLOEXEC, 0), "open", "/proc/thread-self/ns/mnt");
        using var donor = OwnedFd.Check(LibC.open(donorPath, LibC.O_RDONLY | LibC.O_CLOEXEC, 0), "open", donorPath);
        Sys.Check(LibC.setns(donor.Fd, LibC.CLONE_NEWNS), "setns", donorPath);
        int tree;
        try
        {
            tree = LibC.open_tree(LibC.AT_FDCWD, path, LibC.OPEN_TREE_CLONE | LibC.OPEN_TREE_CLOEXEC | LibC.AT_RECURSIVE);
        }
        finally
        {
            // Back before anything else: the rest of the setup belongs in the container's namespace.
            Sys.Check(LibC.setns(own.Fd, LibC.CLONE_NEWNS), "setns", "/proc/thread-self/ns/mnt");
        }

        using var detached = OwnedFd.Check(tree, "open_tree", path);
        Sys.Check(LibC.move_mount(detached.Fd, "", LibC.AT_FDCWD, target, LibC.MOVE_MOUNT_F_EMPTY_PATH), "move_mount", target);
    }
}
