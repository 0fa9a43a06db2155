using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Images.Layers;

/// <summary>lstat(2)-based checks and removal that never follow a symbolic link.</summary>
internal static unsafe class FsNode
{
    /// <summary>The S_IFMT bits of the path itself, or 0 when nothing is there.</summary>
    public static uint Type(string path)
    {
        LibC.StatBuf st;
        if (LibC.lstat(path, &st) < 0)
        {
            var errno = Sys.LastErrno;
            if (errno is LibC.ENOENT or LibC.ENOTDIR)
            {
                return 0;
            }

            throw new LinuxException(errno, "lstat", path);
        }

        return st.st_mode & LibC.S_IFMT;
    }

    /// <summary>Removes whatever is at <paramref name="path"/>: a directory with its content, anything else unlinked.</summary>
    public static void Remove(string path)
    {
        var type = Type(path);
        if (type == 0)
        {
            return;
        }

        if (type == LibC.S_IFDIR)
        {
            // Directory.Delete unlinks symlinks found inside rather than descending through them.
            Directory.Delete(path, recursive: true);
        }
        else
        {
            Sys.Check(LibC.unlink(path), "unlink", path);
        }
    }
}
