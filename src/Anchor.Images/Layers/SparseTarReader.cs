using System.Formats.Tar;

namespace Anchor.Images.Layers;

/// <summary>
/// Reads a tar archive entry by entry as TarReader does, with GNU sparse files (old GNU 'S', PAX
/// 0.0, 0.1, 1.0) given under their real name with their full content, holes read as zeros, as Go's
/// archive/tar gives them to docker. For extractors that write plain files; layers go through
/// <see cref="LayerApplier"/>, which keeps the holes.
/// </summary>
public sealed class SparseTarReader : IDisposable
{
    private readonly SparseTarStream _stream;
    private readonly TarReader _reader;
    private int _index;

    public SparseTarReader(Stream archive)
    {
        _stream = new SparseTarStream(archive);
        _reader = new TarReader(_stream, leaveOpen: true);
    }

    /// <summary>The next entry with its name and content (null for entries without data); null at the end of the archive.</summary>
    public (TarEntry Entry, string Name, Stream? Data)? Next()
    {
        if (_reader.GetNextEntry() is not { } entry)
        {
            return null;
        }

        var oldGnu = _stream.TakeMap(_index++);
        var sparse = entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile
            ? SparseFile.Of(entry, oldGnu)
            : null;
        if (sparse is null)
        {
            return (entry, entry.Name, entry.DataStream);
        }

        var data = entry.DataStream ?? Stream.Null;
        return (entry, sparse.Name, new SparseReadStream(data, sparse.ResolveMap(entry, data)));
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
    }
}
