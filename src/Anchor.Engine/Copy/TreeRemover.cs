using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Copy;

/// <summary>
/// Removes a name and, for a directory, everything below it, by descriptors: each directory is
/// opened from its parent with O_NOFOLLOW, so a symlink swapped in meanwhile is removed as a link
/// and never followed out of the tree (os.RemoveAll's openat-based walk does the same).
/// </summary>
internal static class TreeRemover
{
    public static void RemoveAt(int parentFd, string name, string path)
    {
        if (FileStatus.At(parentFd, name) is not { } st)
        {
            return;
        }

        if (!FileStatus.IsDir(st))
        {
            Sys.Check(LibC.unlinkat(parentFd, name, 0), "unlink", path);
            return;
        }

        var fd = LibC.openat(parentFd, name, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        Sys.Check(fd, "open", path);
        try
        {
            foreach (var child in TreeArchiver.ListDirectory(fd))
            {
                RemoveAt(fd, child, path + "/" + child);
            }
        }
        finally
        {
            LibC.close(fd);
        }

        Sys.Check(LibC.unlinkat(parentFd, name, LibC.AT_REMOVEDIR), "rmdir", path);
    }
}
