using System.Text;
using Anchor.Linux.Interop;

namespace Anchor.Build.Context;

/// <summary>lstat(2) of a host path as a <see cref="TreeEntry"/> (links not followed), and the overlay opaque marker.</summary>
public static unsafe class FileStat
{
    private const uint S_IFMT = 0xF000; // 0170000
    private const uint S_IFDIR = 0x4000; // 0040000
    private const uint S_IFREG = 0x8000; // 0100000
    private const uint S_IFLNK = 0xA000; // 0120000
    private const uint S_IFCHR = 0x2000; // 0020000
    private const uint S_IFBLK = 0x6000; // 0060000
    private const uint S_IFIFO = 0x1000; // 0010000

    public static TreeEntry? Lstat(string hostPath, string relativePath)
    {
        LibC.StatBuf st;
        if (LibC.lstat(hostPath, &st) < 0)
        {
            return null;
        }

        return Entry(st, hostPath, relativePath, (st.st_mode & S_IFMT) == S_IFLNK ? new FileInfo(hostPath).LinkTarget : null);
    }

    /// <summary>
    /// fstatat(2) of one <paramref name="name"/> in the directory open as <paramref name="dirFd"/>,
    /// a final symlink not followed; an empty name is the directory itself (AT_EMPTY_PATH).
    /// Nothing but that descriptor is resolved, so no path can lead the lookup elsewhere.
    /// </summary>
    public static TreeEntry? At(int dirFd, string name, string hostPath, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(name);
        LibC.StatBuf st;
        var flags = LibC.AT_SYMLINK_NOFOLLOW | (name.Length == 0 ? LibC.AT_EMPTY_PATH : 0);
        if (LibC.fstatat(dirFd, name, &st, flags) < 0)
        {
            return null;
        }

        return Entry(st, hostPath, relativePath, (st.st_mode & S_IFMT) == S_IFLNK ? ReadLinkAt(dirFd, name) : null);
    }

    /// <summary>
    /// (device, inode) of a regular file with more than one name, the key by which a layer writer
    /// keeps hard links as links (docker's archive keeps them: pkg/archive's inode map); null otherwise.
    /// </summary>
    public static (ulong Device, long Inode)? HardLinkKey(string hostPath)
    {
        LibC.StatBuf st;
        return LibC.lstat(hostPath, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && st.st_nlink > 1
            ? (st.st_dev, (long)st.st_ino)
            : null;
    }

    private const string CapabilityXattr = "security.capability";

    /// <summary>The raw security.capability extended attribute of a file, or null when it has none (lgetxattr(2)).</summary>
    public static byte[]? Capability(string hostPath) =>
        ReadXattr((p, n) => LibC.lgetxattr(hostPath, CapabilityXattr, p, n));

    /// <summary>The same for a file already open (a context file opened confined to its root): fgetxattr(2).</summary>
    public static byte[]? Capability(Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var fd = (int)file.DangerousGetHandle();
        return ReadXattr((p, n) => LibC.fgetxattr(fd, CapabilityXattr, p, n));
    }

    private delegate nint XattrRead(byte* value, nint size);

    /// <summary>Asks for the size, then the value (xattr(7)); null when absent or unreadable.</summary>
    private static byte[]? ReadXattr(XattrRead read)
    {
        var size = read(null, 0);
        if (size <= 0)
        {
            return null;
        }

        var value = new byte[size];
        fixed (byte* p = value)
        {
            size = read(p, value.Length);
        }

        return size > 0 ? value[..(int)size] : null;
    }

    /// <summary>overlayfs marks a directory that hides the lower ones with trusted.overlay.opaque=y (Documentation/filesystems/overlayfs.rst).</summary>
    public static bool IsOpaque(string hostPath)
    {
        byte value = 0;
        var n = LibC.lgetxattr(hostPath, "trusted.overlay.opaque", &value, 1);
        return n == 1 && value == (byte)'y';
    }

    public static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "/" + name;

    private static TreeEntry Entry(in LibC.StatBuf st, string hostPath, string relativePath, string? linkTarget)
    {
        var kind = (st.st_mode & S_IFMT) switch
        {
            S_IFDIR => EntryKind.Directory,
            S_IFREG => EntryKind.File,
            S_IFLNK => EntryKind.Symlink,
            S_IFCHR => EntryKind.CharDevice,
            S_IFBLK => EntryKind.BlockDevice,
            S_IFIFO => EntryKind.Fifo,
            _ => EntryKind.Socket,
        };
        var mtime = DateTimeOffset.FromUnixTimeSeconds(st.st_mtim.tv_sec).AddTicks(st.st_mtim.tv_nsec / 100);
        return new TreeEntry(
            relativePath,
            hostPath,
            kind,
            st.st_mode & 0xFFF, // 07777
            st.st_uid,
            st.st_gid,
            kind == EntryKind.File ? st.st_size : 0,
            mtime,
            linkTarget,
            LibC.major(st.st_rdev),
            LibC.minor(st.st_rdev));
    }

    /// <summary>readlinkat(2): a symlink's target is at most PATH_MAX (4096) bytes.</summary>
    private static string? ReadLinkAt(int dirFd, string name)
    {
        var buffer = new byte[4096];
        fixed (byte* p = buffer)
        {
            var n = LibC.readlinkat(dirFd, name, p, buffer.Length);
            return n < 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)n);
        }
    }
}
