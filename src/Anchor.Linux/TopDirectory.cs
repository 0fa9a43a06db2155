using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// Marks a directory as the top of a directory hierarchy (FS_TOPDIR_FL, `chattr +T`; ioctl_iflags(2)),
/// so ext4's Orlov allocator spreads the directories made in it, with their files, over the block
/// groups instead of packing them into the parent's group (ext4 ialloc.c, find_group_orlov).
/// Why it matters for a container store: on ext4 without a journal (this machine's kind) every
/// inode allocation skips, one inode-table lookup each, the free inodes of its group that were
/// deleted in the last 5-10 s (ialloc.c, recently_deleted). Every `run --rm` creates and later
/// deletes some twenty inodes (directories, /etc files, the record, overlayfs's work files), so
/// with all containers in one group a steady stream of runs made each creation cost 0.1-0.6 ms
/// instead of 20 us (perf: recently_deleted was a fifth of `run --rm`'s CPU). Best effort: other
/// filesystems (ENOTTY, EOPNOTSUPP) and a journalled ext4 lose nothing without it.
/// </summary>
public static unsafe class TopDirectory
{
    /// <summary>Sets the flag on <paramref name="path"/> unless it is set; false when the filesystem has no such flag or the directory is missing.</summary>
    public static bool TryMark(string path)
    {
        var fd = LibC.open(path, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            // The kernel reads and writes an int through this "long" ioctl (fs/ioctl.c).
            int flags = 0;
            if (LibC.ioctl(fd, LibC.FS_IOC_GETFLAGS, (nint)(&flags)) != 0)
            {
                return false;
            }

            if ((flags & LibC.FS_TOPDIR_FL) != 0)
            {
                return true;
            }

            flags |= LibC.FS_TOPDIR_FL;
            return LibC.ioctl(fd, LibC.FS_IOC_SETFLAGS, (nint)(&flags)) == 0;
        }
        finally
        {
            _ = LibC.close(fd);
        }
    }
}
