using System.Formats.Tar;
using Anchor.Build.Context;

namespace Anchor.Build.Layers;

/// <summary>
/// Writes a layer tarball (PAX, uncompressed: the blob digest is the DiffID) to a file. Names are
/// relative ("etc/passwd", directories with a trailing slash), as docker writes them; a directory
/// is written once, the first time it is added.
/// </summary>
public sealed class LayerTarWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly TarWriter _writer;
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, long), string> _hardLinks = [];

    public LayerTarWriter(string path)
    {
        Path = path;
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

        Write(new PaxTarEntry(TarEntryType.Directory, clean + "/"), mode, uid, gid, mtime);
    }

    public void AddFile(string name, string hostPath, uint mode, uint uid, uint gid, DateTimeOffset mtime)
    {
        using var data = new FileStream(hostPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        AddFile(name, data, mode, uid, gid, mtime);
    }

    public void AddFile(string name, Stream data, uint mode, uint uid, uint gid, DateTimeOffset mtime) =>
        Write(new PaxTarEntry(TarEntryType.RegularFile, Clean(name)) { DataStream = data }, mode, uid, gid, mtime);

    public void AddEmptyFile(string name) =>
        Write(new PaxTarEntry(TarEntryType.RegularFile, Clean(name)), 0, 0, 0, DateTimeOffset.UnixEpoch);

    public void AddSymlink(string name, string target, uint uid, uint gid, DateTimeOffset mtime) =>
        Write(new PaxTarEntry(TarEntryType.SymbolicLink, Clean(name)) { LinkName = target }, 0x1FF /* 0777 */, uid, gid, mtime);

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
                Write(new PaxTarEntry(TarEntryType.HardLink, clean) { LinkName = first }, mode ?? entry.Mode, owner, group, entry.ModifiedTime);
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
                Write(new PaxTarEntry(entry.Kind == EntryKind.CharDevice ? TarEntryType.CharacterDevice : TarEntryType.BlockDevice, clean)
                {
                    DeviceMajor = (int)entry.DeviceMajor,
                    DeviceMinor = (int)entry.DeviceMinor,
                }, mode ?? entry.Mode, owner, group, entry.ModifiedTime);
                break;
            case EntryKind.Fifo:
                Write(new PaxTarEntry(TarEntryType.Fifo, clean), mode ?? entry.Mode, owner, group, entry.ModifiedTime);
                break;
            default:
                break; // Sockets are not archived (tar cannot hold them).
        }
    }

    private void Write(PaxTarEntry entry, uint mode, uint uid, uint gid, DateTimeOffset mtime)
    {
        entry.Mode = (UnixFileMode)(mode & 0xFFF);
        entry.Uid = (int)uid;
        entry.Gid = (int)gid;
        entry.ModificationTime = mtime < DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : mtime;
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
