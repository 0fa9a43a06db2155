using System.Formats.Tar;
using Anchor.Images.Layers;

namespace Anchor.Images.Archives;

/// <summary>
/// Spools an image archive into a private directory under <c>root/ingest</c> (named after its owner,
/// so a later process removes it if this one is killed: <see cref="TempName"/>): the archive is a
/// stream (stdin) and its manifest.json may come after the layers (docker 25 writes it last), so the
/// files must be kept until the manifest is read. Only regular files are written; symlinks and
/// hardlinks (older docker save links duplicate layers) are recorded and resolved by name, so
/// nothing in the archive can point outside the staging directory.
/// </summary>
internal sealed class ArchiveStaging : IDisposable
{
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);

    private ArchiveStaging(string dir) => Dir = dir;

    public string Dir { get; }

    public static ArchiveStaging Extract(Stream archive, string ingestDir)
    {
        var staging = new ArchiveStaging(Path.Combine(ingestDir, TempName.New("archive")));
        try
        {
            Directory.CreateDirectory(staging.Dir);
            using var uncompressed = Decompressor.Open(new NonClosingStream(archive), out _);
            using var reader = new TarReader(uncompressed, leaveOpen: true);
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                staging.Add(entry);
            }

            return staging;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException or IOException)
        {
            staging.Dispose();
            throw new ImageException(e is EndOfStreamException
                ? "invalid archive: archive is truncated"
                : $"invalid archive: not a tar archive or corrupted ({e.Message})", e);
        }
        catch
        {
            staging.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => TryResolve(name, out _);

    /// <summary>The staged file for an archive path, following the archive's own links.</summary>
    public string PathOf(string name) =>
        TryResolve(name, out var path) ? path : throw new ImageException($"invalid archive: \"{name}\" not found in the archive");

    public byte[] ReadAll(string name) => File.ReadAllBytes(PathOf(name));

    public void Dispose()
    {
        if (Directory.Exists(Dir))
        {
            Directory.Delete(Dir, recursive: true);
        }
    }

    private void Add(TarEntry entry)
    {
        var rel = string.Join('/', LayerPath.Clean(entry.Name));
        if (rel.Length == 0)
        {
            return;
        }

        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                var full = Path.Combine(Dir, rel);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                using (var fs = new FileStream(full, FileMode.Create, FileAccess.Write))
                {
                    entry.DataStream?.CopyTo(fs, 1 << 17);
                }

                _files.Add(rel);
                _links.Remove(rel);
                break;
            case TarEntryType.SymbolicLink:
                var dir = Path.GetDirectoryName(rel) ?? "";
                _links[rel] = string.Join('/', LayerPath.Clean(entry.LinkName.StartsWith('/') ? entry.LinkName : dir + "/" + entry.LinkName));
                break;
            case TarEntryType.HardLink:
                _links[rel] = string.Join('/', LayerPath.Clean(entry.LinkName));
                break;
            default:
                break; // Directories are implied; nothing else belongs in an image archive.
        }
    }

    private bool TryResolve(string name, out string path)
    {
        var rel = string.Join('/', LayerPath.Clean(name));
        for (var hops = 0; hops < 16 && _links.TryGetValue(rel, out var target); hops++)
        {
            rel = target;
        }

        path = Path.Combine(Dir, rel);
        return _files.Contains(rel);
    }
}
