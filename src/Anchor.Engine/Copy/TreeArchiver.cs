using System.Formats.Tar;
using System.Text;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Copy;

/// <summary>
/// Writes a file tree as a tar stream, as docker's daemon archives a cp source: the top entry is
/// named after the requested path's last element, directories are walked depth first, symlinks are
/// stored as links (never followed below the top), a second name of an inode becomes a hard link.
/// Every child is opened by name from its parent's descriptor with O_NOFOLLOW, so the walk cannot
/// be redirected by a symlink the container swaps in while it runs.
/// </summary>
internal sealed unsafe class TreeArchiver(TarWriter writer)
{
    private const int UstarNameLength = 100;
    private const uint UstarMaxId = 0x1FFFFF; // 7 octal digits
    private const long UstarMaxSize = 0x1FFFFFFFF; // 11 octal digits

    private readonly Dictionary<(ulong Dev, ulong Ino), string> _seen = [];

    /// <summary>Archives the object open as <paramref name="fd"/> (an O_PATH descriptor) under <paramref name="name"/>.</summary>
    public void Write(int fd, string name) => Write(fd, name, top: true);

    /// <summary>
    /// Archives what the directory open as <paramref name="fd"/> holds, named relative to it
    /// ("bin/", "etc/passwd") with no entry for the directory itself: docker export's layout.
    /// </summary>
    public void WriteContents(int fd) => WriteChildren(fd, "");

    private void Write(int fd, string name, bool top)
    {
        var st = FileStatus.Of(fd);
        var type = FileStatus.Type(st);
        if (type != LibC.S_IFDIR && st.st_nlink > 1 && _seen.TryGetValue((st.st_dev, st.st_ino), out var first))
        {
            writer.WriteEntry(Entry(TarEntryType.HardLink, name, st, first));
            return;
        }

        switch (type)
        {
            case LibC.S_IFDIR:
                writer.WriteEntry(Entry(TarEntryType.Directory, name + "/", st));
                // A running container's /proc and /sys are the kernel's views, not its files: docker
                // archives the rootfs, where they are empty mount points, and so do we below the top.
                if (top || !IsKernelView(fd))
                {
                    WriteChildren(fd, name);
                }

                return;
            case LibC.S_IFREG:
                // Exactly st_size bytes: a file that grows or shrinks meanwhile cannot corrupt the archive.
                using (var data = new FixedLengthStream(FileStatus.OpenRead(fd), st.st_size))
                {
                    var entry = Entry(TarEntryType.RegularFile, name, st);
                    entry.DataStream = data;
                    writer.WriteEntry(entry);
                }

                break;
            case LibC.S_IFLNK:
                writer.WriteEntry(Entry(TarEntryType.SymbolicLink, name, st, FileStatus.ReadLink(fd)));
                break;
            case LibC.S_IFCHR or LibC.S_IFBLK:
                var device = Entry(type == LibC.S_IFCHR ? TarEntryType.CharacterDevice : TarEntryType.BlockDevice, name, st);
                device.DeviceMajor = (int)LibC.major(st.st_rdev);
                device.DeviceMinor = (int)LibC.minor(st.st_rdev);
                writer.WriteEntry(device);
                break;
            case LibC.S_IFIFO:
                writer.WriteEntry(Entry(TarEntryType.Fifo, name, st));
                break;
            default:
                return; // Sockets have no tar representation (docker skips them too).
        }

        if (st.st_nlink > 1)
        {
            _seen[(st.st_dev, st.st_ino)] = name;
        }
    }

    private void WriteChildren(int dirFd, string name)
    {
        foreach (var child in ListDirectory(dirFd))
        {
            var childFd = LibC.openat(dirFd, child, LibC.O_PATH | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
            if (childFd < 0 && Sys.LastErrno == LibC.ENOENT)
            {
                continue; // Removed while we walked: the archive shows the tree as the walk found it.
            }

            Sys.Check(childFd, "open", name + "/" + child);
            try
            {
                Write(childFd, name.Length == 0 ? child : name + "/" + child, top: false);
            }
            finally
            {
                LibC.close(childFd);
            }
        }
    }

    private static bool IsKernelView(int fd) =>
        LibC.fstatfs(fd, out var fs) == 0 && fs.f_type is LibC.PROC_SUPER_MAGIC or LibC.SYSFS_MAGIC;

    /// <summary>The names in a directory, sorted (a stable archive), "." and ".." left out.</summary>
    internal static List<string> ListDirectory(int dirFd)
    {
        var readable = LibC.openat(dirFd, ".", LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        Sys.Check(readable, "open", "directory");
        var dir = LibC.fdopendir(readable);
        if (dir == 0)
        {
            var error = LinuxException.FromLastError("fdopendir");
            LibC.close(readable);
            throw error;
        }

        var names = new List<string>();
        try
        {
            while (LibC.readdir(dir) is var entry && entry is not null)
            {
                var name = System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)(entry + LibC.DirentNameOffset))!;
                if (name is not ("." or ".."))
                {
                    names.Add(name);
                }
            }
        }
        finally
        {
            LibC.closedir(dir);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>
    /// A ustar entry when the name and numbers fit, PAX otherwise: Go's archive/tar (docker) writes
    /// PAX headers only when needed, and .NET's PaxTarEntry would add one (atime, ctime) to every entry.
    /// </summary>
    private static PosixTarEntry Entry(TarEntryType type, string name, in LibC.StatBuf st, string? link = null)
    {
        var fits = Encoding.UTF8.GetByteCount(name) <= UstarNameLength
            && (link is null || Encoding.UTF8.GetByteCount(link) <= UstarNameLength)
            && st.st_uid <= UstarMaxId && st.st_gid <= UstarMaxId && st.st_size <= UstarMaxSize;
        PosixTarEntry entry = fits ? new UstarTarEntry(type, name) : new PaxTarEntry(type, name);
        entry.Mode = (UnixFileMode)(st.st_mode & 0xFFF);
        entry.Uid = (int)st.st_uid;
        entry.Gid = (int)st.st_gid;
        entry.ModificationTime = FileStatus.ModificationTime(st);
        if (link is not null)
        {
            entry.LinkName = link; // Settable on link entries only.
        }

        return entry;
    }
}
