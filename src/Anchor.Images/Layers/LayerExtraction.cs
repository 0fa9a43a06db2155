using System.Formats.Tar;
using System.Text;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Images.Layers;

/// <summary>
/// Writes tar entries under one root without ever leaving it: names are cleaned (<see cref="LayerPath"/>),
/// every parent directory is checked with lstat and a symlink among them rejects the entry (so
/// <c>evil -> /etc</c> then <c>evil/passwd</c> cannot write the host's /etc), new files are created
/// with O_EXCL (which never follows a final symlink), and metadata calls are the non-following ones.
/// Order per entry follows GNU tar: create, lchown, chmod (chown clears setuid), xattrs, times;
/// directory times are set last, deepest first, since creating children changes them.
/// </summary>
internal sealed unsafe class LayerExtraction(string root, LayerApplyMode mode)
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const string OverlayOpaque = "trusted.overlay.opaque";

    // Relative paths known to be real directories (created or lstat-checked during this extraction).
    private readonly HashSet<string> _dirs = new(StringComparer.Ordinal) { "" };

    // Paths this layer created: an opaque marker in Apply mode keeps them, deletes the lower ones.
    private readonly HashSet<string> _created = new(StringComparer.Ordinal);
    private readonly List<(string Path, DateTimeOffset Time)> _dirTimes = [];

    public long Size { get; private set; }

    public int Entries { get; private set; }

    /// <param name="oldGnuSparse">The map of an old GNU sparse file, which the tar stream took out of the entry's header.</param>
    public void Extract(TarEntry entry, Dictionary<string, byte[]>? rawXattrs, SparseMap? oldGnuSparse = null)
    {
        Entries++;
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
        {
            return;
        }

        // A sparse file's real name (GNU.sparse.name) takes every check an entry name takes.
        var sparse = entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile
            ? SparseFile.Of(entry, oldGnuSparse)
            : null;
        var name = sparse?.Name ?? entry.Name;
        var segments = LayerPath.Clean(name);
        var rel = string.Join('/', segments);
        if (segments.Length > 0 && segments[^1].StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            Whiteout(name, segments);
            return;
        }

        var full = Full(rel);
        if (segments.Length > 0)
        {
            EnsureParents(name, segments);
        }

        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                MakeDirectory(rel, full);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                Replace(rel, full);
                if (sparse is null)
                {
                    WriteFile(full, entry);
                }
                else
                {
                    WriteSparseFile(full, entry, sparse);
                }

                break;
            case TarEntryType.SymbolicLink:
                Replace(rel, full);
                Sys.Symlink(entry.LinkName, full); // Verbatim: absolute targets resolve inside the container.
                break;
            case TarEntryType.HardLink:
                HardLink(entry, rel, full);
                return; // Shares the target's inode and metadata.
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                Replace(rel, full);
                MakeNode(entry, full);
                break;
            default:
                throw new ImageException($"invalid tar entry \"{entry.Name}\": unsupported type {entry.EntryType}");
        }

        MarkCreated(rel);
        SetMetadata(entry, full, rawXattrs);
    }

    /// <summary>Directory times, deepest first, after every child is in place.</summary>
    public void Finish()
    {
        for (var i = _dirTimes.Count - 1; i >= 0; i--)
        {
            SetTimes(_dirTimes[i].Path, _dirTimes[i].Time);
        }
    }

    /// <summary>Records a path of this layer with its ancestors, which an opaque marker must keep too.</summary>
    private void MarkCreated(string rel)
    {
        while (rel.Length > 0 && _created.Add(rel))
        {
            var slash = rel.LastIndexOf('/');
            rel = slash < 0 ? "" : rel[..slash];
        }
    }

    private string Full(string rel) => rel.Length == 0 ? root : root + "/" + rel;

    private void EnsureParents(string name, string[] segments)
    {
        var rel = "";
        for (var i = 0; i < segments.Length - 1; i++)
        {
            rel = i == 0 ? segments[0] : rel + "/" + segments[i];
            if (_dirs.Contains(rel))
            {
                continue;
            }

            var full = Full(rel);
            var type = FsNode.Type(full);
            if (type == 0)
            {
                Sys.Check(LibC.mkdir(full, 0x1ED /* 0755 */), "mkdir", full);
            }
            else if (type == LibC.S_IFLNK)
            {
                throw new ImageException($"invalid tar entry \"{name}\": parent \"{rel}\" is a symbolic link");
            }
            else if (type != LibC.S_IFDIR)
            {
                throw new ImageException($"invalid tar entry \"{name}\": parent \"{rel}\" is not a directory");
            }

            _dirs.Add(rel);
        }
    }

    private void MakeDirectory(string rel, string full)
    {
        if (FsNode.Type(full) != LibC.S_IFDIR)
        {
            Replace(rel, full);
            Sys.Check(LibC.mkdir(full, 0x1C0 /* 0700 until chmod */), "mkdir", full);
        }

        _dirs.Add(rel);
    }

    /// <summary>Clears the way for a new entry: an existing entry of any kind is replaced (docker's "overwrite").</summary>
    private void Replace(string rel, string full)
    {
        if (rel.Length == 0)
        {
            throw new ImageException("invalid tar entry: cannot replace the layer root");
        }

        if (FsNode.Type(full) == LibC.S_IFDIR)
        {
            _dirs.RemoveWhere(d => d == rel || d.StartsWith(rel + "/", StringComparison.Ordinal));
        }

        FsNode.Remove(full);
    }

    private void WriteFile(string full, TarEntry entry)
    {
        using (var fs = CreateFile(full))
        {
            entry.DataStream?.CopyTo(fs, 1 << 17);
        }

        Size += entry.Length;
    }

    /// <summary>
    /// Writes only the data regions, each at its offset, then sets the real size (ftruncate): the
    /// holes are never written, so the file is as sparse on disk as it was when archived.
    /// </summary>
    private void WriteSparseFile(string full, TarEntry entry, SparseFile sparse)
    {
        var data = entry.DataStream ?? Stream.Null;
        var map = sparse.ResolveMap(entry, data);
        using (var fs = CreateFile(full))
        {
            var buffer = new byte[1 << 17];
            foreach (var (offset, length) in map.Regions)
            {
                fs.Position = offset;
                for (var left = length; left > 0;)
                {
                    var n = data.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                    if (n == 0)
                    {
                        throw new EndOfStreamException();
                    }

                    fs.Write(buffer, 0, n);
                    left -= n;
                }
            }

            fs.SetLength(map.RealSize);
        }

        Size += map.RealSize;
    }

    /// <summary>A new regular file, unbuffered. CreateNew is O_CREAT|O_EXCL: it fails on a dangling symlink instead of following it.</summary>
    private static FileStream CreateFile(string full) => new(full, new FileStreamOptions
    {
        Mode = FileMode.CreateNew,
        Access = FileAccess.Write,
        Share = FileShare.None,
        BufferSize = 0,
    });

    private void HardLink(TarEntry entry, string rel, string full)
    {
        var targetSegments = LayerPath.Clean(entry.LinkName);
        if (targetSegments.Length == 0)
        {
            throw new ImageException($"invalid tar entry \"{entry.Name}\": hard link to the layer root");
        }

        EnsureParents(entry.LinkName, targetSegments);
        var target = Full(string.Join('/', targetSegments));
        if (FsNode.Type(target) == 0)
        {
            throw new ImageException($"invalid tar entry \"{entry.Name}\": hard link target \"{entry.LinkName}\" does not exist");
        }

        if (target == full)
        {
            return;
        }

        Replace(rel, full);
        // link(2) does not follow a symlink given as oldpath on Linux, so the target stays confined.
        Sys.Check(LibC.link(target, full), "link", full);
        MarkCreated(rel);
    }

    private static void MakeNode(TarEntry entry, string full)
    {
        var (type, dev) = TarNode.Of(entry);
        Sys.Mknod(full, type | ((uint)entry.Mode & 0xFFF), dev);
    }

    private void SetMetadata(TarEntry entry, string full, Dictionary<string, byte[]>? rawXattrs)
    {
        Sys.Lchown(full, (uint)entry.Uid, (uint)entry.Gid);
        if (entry.EntryType != TarEntryType.SymbolicLink)
        {
            // After lchown, which clears setuid/setgid; the full mode keeps them and the sticky bit.
            Sys.Chmod(full, (uint)entry.Mode & 0xFFF);
        }

        foreach (var (name, value) in Xattrs(entry, rawXattrs))
        {
            SetXattr(full, name, value);
        }

        if (entry.EntryType == TarEntryType.Directory)
        {
            _dirTimes.Add((full, entry.ModificationTime));
        }
        else
        {
            SetTimes(full, entry.ModificationTime);
        }
    }

    private static IEnumerable<(string Name, byte[] Value)> Xattrs(TarEntry entry, Dictionary<string, byte[]>? rawXattrs)
    {
        if (entry is not PaxTarEntry pax)
        {
            yield break;
        }

        foreach (var (key, value) in pax.ExtendedAttributes)
        {
            if (key.StartsWith(PaxRecords.XattrPrefix, StringComparison.Ordinal))
            {
                var name = key[PaxRecords.XattrPrefix.Length..];
                // The raw bytes when the header was found again; the decoded string is only right for text.
                yield return (name, rawXattrs is not null && rawXattrs.TryGetValue(name, out var raw) ? raw : Encoding.UTF8.GetBytes(value));
            }
            else if (key.StartsWith("LIBARCHIVE.xattr.", StringComparison.Ordinal))
            {
                // bsdtar: URL-encoded name, base64 value (libarchive archive_write_set_format_pax.c).
                yield return (Uri.UnescapeDataString(key["LIBARCHIVE.xattr.".Length..]), Convert.FromBase64String(value.PadRight((value.Length + 3) / 4 * 4, '=')));
            }
        }
    }

    private static void SetXattr(string full, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
        {
            if (LibC.lsetxattr(full, name, p, value.Length, 0) < 0 && Sys.LastErrno != LibC.EOPNOTSUPP)
            {
                throw LinuxException.FromLastError("lsetxattr " + name, full);
            }
        }
    }

    private static void SetTimes(string full, DateTimeOffset time)
    {
        var ts = LibC.Timespec.From(time);
        var times = stackalloc LibC.Timespec[2] { ts, ts };
        Sys.Check(LibC.utimensat(LibC.AT_FDCWD, full, times, LibC.AT_SYMLINK_NOFOLLOW), "utimensat", full);
    }

    private void Whiteout(string name, string[] segments)
    {
        EnsureParents(name, segments);
        var parentRel = string.Join('/', segments[..^1]);
        var baseName = segments[^1];
        if (baseName == OpaqueMarker)
        {
            Opaque(parentRel);
            return;
        }

        if (baseName.StartsWith(WhiteoutPrefix + WhiteoutPrefix, StringComparison.Ordinal))
        {
            return; // Other .wh..wh. names are aufs bookkeeping (layer.md "Whiteouts"), not content.
        }

        var victimRel = (parentRel.Length == 0 ? "" : parentRel + "/") + baseName[WhiteoutPrefix.Length..];
        var victim = Full(victimRel);
        Replace(victimRel, victim);
        _created.Remove(victimRel);
        if (mode == LayerApplyMode.Overlay)
        {
            Sys.Mknod(victim, LibC.S_IFCHR, LibC.makedev(0, 0));
            MarkCreated(victimRel);
        }
    }

    private void Opaque(string parentRel)
    {
        var dir = Full(parentRel);
        if (mode == LayerApplyMode.Overlay)
        {
            SetXattr(dir, OverlayOpaque, "y"u8);
            return;
        }

        // Apply mode: delete what the lower layers had here, keep what this layer already wrote.
        foreach (var child in Directory.EnumerateFileSystemEntries(dir))
        {
            var childRel = (parentRel.Length == 0 ? "" : parentRel + "/") + Path.GetFileName(child);
            if (!_created.Contains(childRel))
            {
                Replace(childRel, child);
            }
        }
    }
}
