using System.Formats.Tar;
using Anchor.Build.Context;

namespace Anchor.Build.Layers;

/// <summary>
/// Writes a layer tarball (ustar, PAX where a field needs it; uncompressed: the blob digest is the DiffID) to a file. Names are
/// relative ("etc/passwd", directories with a trailing slash), as docker writes them; a directory
/// is written once, the first time it is added.
/// </summary>
public sealed class LayerTarWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly TarWriter _writer;
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, long), string> _hardLinks = [];

    private readonly DateTimeOffset? _clamp;

    /// <param name="clamp">SOURCE_DATE_EPOCH: no entry's time is later (reproducible-builds.org "SOURCE_DATE_EPOCH"), so the same files give the same layer on any day.</param>
    public LayerTarWriter(string path, DateTimeOffset? clamp = null)
    {
        Path = path;
        _clamp = clamp;
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _writer = new TarWriter(_file, TarEntryFormat.Pax, leaveOpen: true);
    }

    public string Path { get; }

    public int Entries { get; private set; }

    public bool HasDirectory(string name) => _directories.Contains(Clean(name));

    public void AddDirectory(string name, uint mode, uint uid, uint gid, DateTimeOffset mtime)
    {
        var clean = Clean(name);
        if (clean.Length == 0 || !_directories.Add(clean))
        {
            return;
        }

        Write(Entry(TarEntryType.Directory, clean + "/", null, uid, gid), mode, uid, gid, mtime);
    }

    /// <summary>
    /// A host file, with its security.capability, the one extended attribute docker's layers carry
    /// (moby pkg/archive: `setcap` in a RUN step is what makes Debian's ping work for non-root).
    /// </summary>
    public void AddFile(string name, string hostPath, uint mode, uint uid, uint gid, DateTimeOffset mtime)
    {
        using var data = new FileStream(hostPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        AddFile(name, data, mode, uid, gid, mtime, FileStat.Capability(hostPath));
    }

    /// <param name="capability">The raw security.capability value to keep (written only on entries that fit ustar; a
    /// longer name needs .NET's own PAX header, which cannot carry binary values).</param>
    public void AddFile(string name, Stream data, uint mode, uint uid, uint gid, DateTimeOffset mtime, byte[]? capability = null)
    {
        var entry = Entry(TarEntryType.RegularFile, Clean(name), null, uid, gid);
        entry.DataStream = data;
        if (capability is not null && entry is UstarTarEntry)
        {
            PaxXattrHeader.Write(_file, entry.Name, [("security.capability", capability)]);
        }

        Write(entry, mode, uid, gid, mtime);
    }

    public void AddEmptyFile(string name) =>
        Write(Entry(TarEntryType.RegularFile, Clean(name)), 0, 0, 0, DateTimeOffset.UnixEpoch);

    public void AddSymlink(string name, string target, uint uid, uint gid, DateTimeOffset mtime) =>
        Write(Entry(TarEntryType.SymbolicLink, Clean(name), target, uid, gid), 0x1FF /* 0777 */, uid, gid, mtime);

    /// <summary>Adds a non-directory entry from a host file, keeping its owner unless given, and hard links as links.</summary>
    public void AddEntry(string name, TreeEntry entry, uint? mode = null, uint? uid = null, uint? gid = null, (ulong Device, long Inode)? inode = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var owner = uid ?? entry.Uid;
        var group = gid ?? entry.Gid;
        var clean = Clean(name);
        if (entry.Kind == EntryKind.File && inode is { } key)
        {
            var id = (key.Device.ToString(System.Globalization.CultureInfo.InvariantCulture), key.Inode);
            if (_hardLinks.TryGetValue(id, out var first))
            {
                Write(Entry(TarEntryType.HardLink, clean, first, owner, group), mode ?? entry.Mode, owner, group, entry.ModifiedTime);
                return;
            }

            _hardLinks[id] = clean;
        }

        switch (entry.Kind)
        {
            case EntryKind.Directory:
                AddDirectory(clean, mode ?? entry.Mode, owner, group, entry.ModifiedTime);
                break;
            case EntryKind.File:
                AddFile(clean, entry.HostPath, mode ?? entry.Mode, owner, group, entry.ModifiedTime);
                break;
            case EntryKind.Symlink:
                AddSymlink(clean, entry.LinkTarget ?? "", owner, group, entry.ModifiedTime);
                break;
            case EntryKind.CharDevice or EntryKind.BlockDevice:
                var device = Entry(entry.Kind == EntryKind.CharDevice ? TarEntryType.CharacterDevice : TarEntryType.BlockDevice, clean, null, owner, group);
                device.DeviceMajor = (int)entry.DeviceMajor;
                device.DeviceMinor = (int)entry.DeviceMinor;
                Write(device, mode ?? entry.Mode, owner, group, entry.ModifiedTime);
                break;
            case EntryKind.Fifo:
                Write(Entry(TarEntryType.Fifo, clean, null, owner, group), mode ?? entry.Mode, owner, group, entry.ModifiedTime);
                break;
            default:
                break; // Sockets are not archived (tar cannot hold them).
        }
    }

    /// <summary>
    /// A ustar entry when the name, link and owner fit its fields, else a PAX one. .NET's PAX
    /// writer names each extended header after the writing process's ID (./PaxHeaders.PID/…) and
    /// stores sub-second times, so the same files would give a different layer each time; docker's
    /// layers are reproducible (Go's archive/tar writes ustar unless a field needs PAX), and equal
    /// changes must give the same DiffID (image prune keeps a layer another image still has).
    /// </summary>
    private static PosixTarEntry Entry(TarEntryType type, string name, string? link = null, uint uid = 0, uint gid = 0)
    {
        PosixTarEntry entry = System.Text.Encoding.UTF8.GetByteCount(name) <= 100 && (link is null || System.Text.Encoding.UTF8.GetByteCount(link) <= 100) && uid < 0x1FFFFF && gid < 0x1FFFFF
            ? new UstarTarEntry(type, name)
            : new PaxTarEntry(type, name);
        if (link is not null)
        {
            entry.LinkName = link;
        }

        return entry;
    }

    private void Write(PosixTarEntry entry, uint mode, uint uid, uint gid, DateTimeOffset mtime)
    {
        entry.Mode = (UnixFileMode)(mode & 0xFFF);
        entry.Uid = (int)uid;
        entry.Gid = (int)gid;
        mtime = mtime < DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : mtime;
        mtime = _clamp is { } clamp && mtime > clamp ? clamp : mtime;
        entry.ModificationTime = entry is UstarTarEntry ? DateTimeOffset.FromUnixTimeSeconds(mtime.ToUnixTimeSeconds()) : mtime;
        _writer.WriteEntry(entry);
        Entries++;
    }

    private static string Clean(string name) => name.Trim('/');

    public void Dispose()
    {
        _writer.Dispose();
        if (_file.Length == 0)
        {
            // TarWriter writes no end-of-archive marker for an empty archive; an empty layer is
            // the two zero blocks alone, as docker writes it (DiffID sha256:5f70bf18…).
            _file.Write(new byte[1024]);
        }

        _file.Flush(flushToDisk: true);
        _file.Dispose();
    }
}
