using System.Formats.Tar;
using Anchor.Images.Layers;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Anchor.Engine.Copy;

/// <summary>
/// Extracts a tar stream into a directory of a <see cref="ScopedRoot"/>, as docker's cp extracts
/// (pkg/archive Unpack with NoOverwriteDirNonDir), confined the way the layer applier is:
/// <list type="bullet">
/// <item>entry names are cleaned and a name that climbs above the extraction directory is rejected;</item>
/// <item>an entry's parent directory is opened through the root with RESOLVE_IN_ROOT, so a symlink
/// among the parents (from the image, the container or the archive itself) resolves inside the
/// root and never on the host;</item>
/// <item>the entry itself is created by name in that parent descriptor with calls that never follow a
/// final symlink (O_CREAT|O_EXCL|O_NOFOLLOW, mkdirat, symlinkat, mknodat, linkat without
/// AT_SYMLINK_FOLLOW) and its metadata is set with AT_SYMLINK_NOFOLLOW.</item>
/// </list>
/// Owners are the archive's, or <paramref name="owner"/> for every entry when given (cp without -a).
/// </summary>
internal sealed unsafe class TreeExtractor(ScopedRoot root, string directory, CopyPlan plan, (uint Uid, uint Gid)? owner)
{
    private readonly List<(string Parent, string Name, DateTimeOffset Time)> _dirTimes = [];

    /// <summary>
    /// A directory may be replaced by a non-directory and the other way round (the archive
    /// endpoint's noOverwriteDirNonDir=false); cp never allows it.
    /// </summary>
    public bool ReplaceDirNonDir { get; init; }

    public void Extract(Stream tar)
    {
        using var reader = new TarReader(tar, leaveOpen: true);
        try
        {
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes))
                {
                    ExtractOne(entry);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new EngineException($"Error processing tar file: {e.Message}", 1);
        }

        // Directory times last, deepest first: creating children changed them.
        for (var i = _dirTimes.Count - 1; i >= 0; i--)
        {
            var (parent, name, time) = _dirTimes[i];
            var fd = root.TryOpen(parent, LibC.O_PATH | LibC.O_DIRECTORY);
            if (fd >= 0)
            {
                SetTimes(fd, name, time);
                LibC.close(fd);
            }
        }
    }

    private void ExtractOne(TarEntry entry)
    {
        var rel = Relative(plan.Rebase(entry.Name));
        if (rel.Length == 0)
        {
            return; // "." is the extraction directory itself (docker skips it too).
        }

        var slash = rel.LastIndexOf('/');
        var parentRel = slash < 0 ? "" : rel[..slash];
        var name = slash < 0 ? rel : rel[(slash + 1)..];
        var parentPath = Join(directory, parentRel);
        var path = Join(directory, rel);
        var parentFd = OpenParent(parentRel);
        try
        {
            var isDir = entry.EntryType == TarEntryType.Directory;
            var existing = FileStatus.At(parentFd, name);
            if (existing is { } replaced && FileStatus.IsDir(replaced) != isDir && ReplaceDirNonDir)
            {
                // pkg/archive Unpack without NoOverwriteDirNonDir: whatever is there goes (os.RemoveAll).
                TreeRemover.RemoveAt(parentFd, name, path);
                existing = null;
            }

            if (existing is { } found)
            {
                if (FileStatus.IsDir(found) && !isDir)
                {
                    throw new EngineException($"cannot overwrite directory \"{path}\" with non-directory \"{directory}\"", 1);
                }

                if (!FileStatus.IsDir(found) && isDir)
                {
                    throw new EngineException($"cannot overwrite non-directory \"{path}\" with directory \"{directory}\"", 1);
                }

                if (!isDir && entry.EntryType != TarEntryType.HardLink)
                {
                    Sys.Check(LibC.unlinkat(parentFd, name, 0), "unlink", path);
                }
            }

            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (existing is null)
                    {
                        Sys.Check(LibC.mkdirat(parentFd, name, 0x1C0 /* 0700 until chmod */), "mkdir", path);
                    }

                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    WriteFile(parentFd, name, path, entry);
                    break;
                case TarEntryType.SymbolicLink:
                    // Verbatim: an absolute target is the container's business and resolves inside it.
                    Sys.Check(LibC.symlinkat(entry.LinkName, parentFd, name), "symlink", path);
                    break;
                case TarEntryType.HardLink:
                    HardLink(parentFd, name, path, existing is not null, entry);
                    return; // Shares the target's inode and metadata.
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                    MakeNode(parentFd, name, path, entry);
                    break;
                default:
                    throw new EngineException($"unhandled tar header type {entry.EntryType} for {entry.Name}", 1);
            }

            SetMetadata(parentFd, name, path, entry);
            if (isDir)
            {
                _dirTimes.Add((parentPath, name, entry.ModificationTime));
            }
            else
            {
                SetTimes(parentFd, name, entry.ModificationTime);
            }
        }
        finally
        {
            LibC.close(parentFd);
        }
    }

    /// <summary>The entry name relative to the extraction directory; one that climbs out is refused (docker's breakout check).</summary>
    private static string Relative(string entryName)
    {
        var cleaned = CopyPaths.Clean(entryName.TrimStart('/'));
        if (cleaned == ".." || cleaned.StartsWith("../", StringComparison.Ordinal))
        {
            throw new EngineException($"invalid tar entry \"{entryName}\": path escapes the destination directory", 1);
        }

        return cleaned == "." ? "" : cleaned;
    }

    private static string Join(string dir, string rel) => rel.Length == 0 ? dir : dir.TrimEnd('/') + "/" + rel;

    /// <summary>
    /// Opens the entry's parent through the root, creating missing directories one element at a
    /// time (0755, owned like the entries: pkg/archive MkdirAllAndChownNew).
    /// </summary>
    private int OpenParent(string parentRel)
    {
        var fd = root.TryOpen(Join(directory, parentRel), LibC.O_PATH | LibC.O_DIRECTORY);
        if (fd >= 0 || parentRel.Length == 0 || fd != -LibC.ENOENT)
        {
            return fd >= 0 ? fd : throw new LinuxException(-fd, "open", Join(directory, parentRel));
        }

        var slash = parentRel.LastIndexOf('/');
        var grandFd = OpenParent(slash < 0 ? "" : parentRel[..slash]);
        var name = slash < 0 ? parentRel : parentRel[(slash + 1)..];
        try
        {
            if (LibC.mkdirat(grandFd, name, 0x1ED /* 0755 */) < 0 && Sys.LastErrno != LibC.EEXIST)
            {
                throw LinuxException.FromLastError("mkdir", Join(directory, parentRel));
            }

            var (uid, gid) = owner ?? (0, 0);
            Sys.Check(LibC.fchownat(grandFd, name, uid, gid, LibC.AT_SYMLINK_NOFOLLOW), "lchown", Join(directory, parentRel));
        }
        finally
        {
            LibC.close(grandFd);
        }

        return root.Open(Join(directory, parentRel), LibC.O_PATH | LibC.O_DIRECTORY);
    }

    private static void WriteFile(int parentFd, string name, string path, TarEntry entry)
    {
        // O_EXCL|O_NOFOLLOW: never writes through a symlink that appeared at this name.
        var fd = LibC.openat(parentFd, name, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0x180 /* 0600 */);
        Sys.Check(fd, "open", path);
        using var file = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, 0);
        entry.DataStream?.CopyTo(file, 1 << 17);
    }

    private void HardLink(int parentFd, string name, string path, bool exists, TarEntry entry)
    {
        var targetRel = Relative(plan.Rebase(entry.LinkName));
        var slash = targetRel.LastIndexOf('/');
        var targetFd = root.Open(Join(directory, slash < 0 ? "" : targetRel[..slash]), LibC.O_PATH | LibC.O_DIRECTORY);
        try
        {
            var targetName = slash < 0 ? targetRel : targetRel[(slash + 1)..];
            if (exists)
            {
                Sys.Check(LibC.unlinkat(parentFd, name, 0), "unlink", path);
            }

            // linkat without AT_SYMLINK_FOLLOW links a symlink itself, never what it points to.
            Sys.Check(LibC.linkat(targetFd, targetName, parentFd, name, 0), "link", path);
        }
        finally
        {
            LibC.close(targetFd);
        }
    }

    private static void MakeNode(int parentFd, string name, string path, TarEntry entry)
    {
        var (type, dev) = TarNode.Of(entry);
        Sys.Check(LibC.mknodat(parentFd, name, type | 0x180 /* 0600 until chmod */, dev), "mknod", path);
    }

    private void SetMetadata(int parentFd, string name, string path, TarEntry entry)
    {
        var (uid, gid) = owner ?? ((uint)entry.Uid, (uint)entry.Gid);
        Sys.Check(LibC.fchownat(parentFd, name, uid, gid, LibC.AT_SYMLINK_NOFOLLOW), "lchown", path);
        if (entry.EntryType != TarEntryType.SymbolicLink)
        {
            // After the chown, which clears setuid/setgid. glibc checks the name through O_PATH and
            // refuses a symlink, so the mode never lands on what a swapped-in link points to.
            Sys.Check(LibC.fchmodat(parentFd, name, (uint)entry.Mode & 0xFFF, LibC.AT_SYMLINK_NOFOLLOW), "chmod", path);
        }
    }

    private static void SetTimes(int parentFd, string name, DateTimeOffset time)
    {
        var ts = LibC.Timespec.From(time);
        var times = stackalloc LibC.Timespec[2] { ts, ts };
        LibC.utimensat(parentFd, name, times, LibC.AT_SYMLINK_NOFOLLOW); // Best effort, as tar does.
    }
}
