namespace Anchor.Linux.Interop;

// linux/fs.h: inode flags (ioctl_iflags(2)), the ones chattr(1) shows.
public static unsafe partial class LibC
{
    /// <summary>_IOR('f', 1, long): read the inode flags.</summary>
    public const nuint FS_IOC_GETFLAGS = 0x80086601;

    /// <summary>_IOW('f', 2, long): write the inode flags.</summary>
    public const nuint FS_IOC_SETFLAGS = 0x40086602;

    /// <summary>chattr +T: the directory is the top of a hierarchy for ext2/3/4's Orlov allocator.</summary>
    public const int FS_TOPDIR_FL = 0x00020000;
}
