using System.Text;

namespace Anchor.Images.Layers;

/// <summary>
/// Sits between a layer and TarReader and turns the two GNU sparse forms TarReader cannot read into
/// forms it can (GNU tar manual, "Storing Sparse Files"):
/// <list type="bullet">
/// <item>PAX format 0.0 repeats <c>GNU.sparse.offset</c>/<c>GNU.sparse.numbytes</c> in one extended
/// header, which TarReader rejects as duplicate keys: the pairs are rewritten as one
/// <c>GNU.sparse.map</c> record (format 0.1's form), the other records kept as they are;</item>
/// <item>old GNU type 'S' ("Entry type 'SparseFile' not supported"): the map in the header and in
/// its extension blocks is taken out (<see cref="TakeMap"/>, by entry index) and the header becomes
/// a regular file ('0') of the same stored size.</item>
/// </list>
/// Everything else passes unchanged. It follows the archive's framing as TarReader does (a header,
/// then its size, or the "size" record of the PAX header before it, rounded up to blocks) and reads
/// no further ahead than TarReader asks, except a PAX header's records and an 'S' header's
/// extension blocks, which it reads with their header. A header it cannot parse (the end of the
/// archive, or damage TarReader will report) ends its work: the rest passes as it is.
/// </summary>
internal sealed class SparseTarStream(Stream inner) : Stream
{
    private const string SparseOffset = "GNU.sparse.offset";
    private const string SparseNumBytes = "GNU.sparse.numbytes";

    // An extended header larger than this is passed on unread (TarReader reads it whole anyway).
    private const int MaxExtendedHeader = 16 << 20;

    private readonly Dictionary<int, SparseMap> _maps = [];
    private byte[] _pending = [];
    private int _pendingAt;
    private long _data;     // entry data (with its padding) still to pass through
    private long? _paxSize; // the "size" record of the last PAX header: the next entry's data size
    private int _entries;   // headers TarReader returns as entries, so far
    private bool _raw;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The map of entry number <paramref name="entry"/> (0-based, as TarReader returns them) if it was an old GNU sparse file.</summary>
    public SparseMap? TakeMap(int entry) => _maps.Remove(entry, out var map) ? map : null;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }

        if (_pendingAt == _pending.Length && _data == 0 && !_raw)
        {
            NextHeader();
        }

        if (_pendingAt < _pending.Length)
        {
            var n = Math.Min(buffer.Length, _pending.Length - _pendingAt);
            _pending.AsSpan(_pendingAt, n).CopyTo(buffer);
            _pendingAt += n;
            return n;
        }

        if (_data > 0)
        {
            var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _data)]);
            _data -= n;
            return n;
        }

        return _raw ? inner.Read(buffer) : 0;
    }

    private void NextHeader()
    {
        var header = new byte[TarBlock.Size];
        var n = inner.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (n < header.Length || !TarBlock.ChecksumValid(header) || !TarBlock.TryParseSize(header, out var size))
        {
            Pass(header.AsSpan(0, n).ToArray(), raw: true);
            return;
        }

        switch ((char)header[TarBlock.TypeFlag])
        {
            case 'x':
                ExtendedHeader(header, size);
                return;
            case 'L' or 'K':
                _data = TarBlock.Padded(size);
                Pass(header);
                return;
            case 'S':
                OldGnuSparse(header);
                break;
        }

        _entries++;
        _data = TarBlock.Padded(_paxSize ?? size);
        _paxSize = null;
        Pass(header);
    }

    private void Pass(byte[] bytes, bool raw = false)
    {
        _pending = bytes;
        _pendingAt = 0;
        _raw |= raw;
    }

    /// <summary>A PAX 'x' header: its records are read now for the next entry's size and, in format 0.0, its map.</summary>
    private void ExtendedHeader(byte[] header, long size)
    {
        if (size > MaxExtendedHeader)
        {
            _data = TarBlock.Padded(size);
            Pass(header, raw: true);
            return;
        }

        var data = new byte[TarBlock.Padded(size)];
        var n = inner.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (n < data.Length)
        {
            Pass([.. header, .. data.AsSpan(0, n)], raw: true);
            return;
        }

        var records = PaxRecords.Parse(data.AsSpan(0, (int)size));
        var sizeRecord = records.LastOrDefault(r => r.Key == "size").Value;
        _paxSize = sizeRecord is not null && SparseMap.TryParseDecimal(Encoding.ASCII.GetString(sizeRecord), out var s) ? s : null;
        if (!records.Any(r => r.Key is SparseOffset or SparseNumBytes))
        {
            Pass([.. header, .. data]);
            return;
        }

        var rewritten = new MemoryStream();
        foreach (var (key, value) in records)
        {
            if (key is not (SparseOffset or SparseNumBytes))
            {
                rewritten.Write(PaxRecords.Format(key, value));
            }
        }

        rewritten.Write(PaxRecords.Format("GNU.sparse.map", Encoding.ASCII.GetBytes(Format00Map(records))));
        var body = rewritten.ToArray();
        var newHeader = (byte[])header.Clone();
        TarBlock.WriteOctal(newHeader.AsSpan(124, 12), body.Length);
        TarBlock.WriteChecksum(newHeader);
        Pass([.. newHeader, .. body, .. new byte[TarBlock.Padded(body.Length) - body.Length]]);
    }

    /// <summary>Format 0.0's offset/numbytes records, in order, as 0.1's "offset,size,..." (not a map at all when they do not alternate).</summary>
    private static string Format00Map(List<(string Key, byte[] Value)> records)
    {
        var values = new List<string>();
        foreach (var (key, value) in records)
        {
            if (key is SparseOffset or SparseNumBytes)
            {
                if ((key == SparseOffset) != (values.Count % 2 == 0))
                {
                    return "-"; // Not offset, numbytes, offset, numbytes...: the extraction reports the map invalid.
                }

                values.Add(Encoding.ASCII.GetString(value));
            }
        }

        return string.Join(',', values);
    }

    /// <summary>
    /// An old GNU 'S' header, made a regular file's: four map entries at offset 386, an "isextended" flag at 482, the real
    /// size at 483, then as many extension blocks of 21 entries (flag at 504) as the flags say. An
    /// entry whose offset starts with NUL ends the entries of its block (GNU and BSD tar's rule).
    /// </summary>
    private void OldGnuSparse(byte[] header)
    {
        var regions = new List<(long, long)>();
        var valid = ReadEntries(header.AsSpan(386, 4 * 24), regions) & TarBlock.TryParseNumber(header.AsSpan(483, 12), out var realSize);
        var extended = header[482] != 0;
        while (extended && valid)
        {
            var block = new byte[TarBlock.Size];
            if (inner.ReadAtLeast(block, block.Length, throwOnEndOfStream: false) < block.Length)
            {
                throw new EndOfStreamException("the sparse map of an old GNU sparse file is truncated");
            }

            valid = ReadEntries(block.AsSpan(0, 21 * 24), regions) && regions.Count <= SparseMap.MaxRegions;
            extended = block[504] != 0;
        }

        _maps[_entries] = new SparseMap(regions, valid ? realSize : -1);
        header[TarBlock.TypeFlag] = (byte)'0';
        TarBlock.WriteChecksum(header);
    }

    private static bool ReadEntries(ReadOnlySpan<byte> entries, List<(long, long)> regions)
    {
        for (var at = 0; at + 24 <= entries.Length && entries[at] != 0; at += 24)
        {
            if (!TarBlock.TryParseNumber(entries.Slice(at, 12), out var offset) || !TarBlock.TryParseNumber(entries.Slice(at + 12, 12), out var length))
            {
                return false;
            }

            regions.Add((offset, length));
        }

        return true;
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
