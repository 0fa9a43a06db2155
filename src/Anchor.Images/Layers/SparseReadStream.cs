namespace Anchor.Images.Layers;

/// <summary>
/// A GNU sparse file's content as one stream of its real size: the stored regions where the map
/// puts them and zeros for the holes, for writers that take a plain stream (build's ADD of a
/// local archive writes the file into a layer as docker does, holes included).
/// </summary>
internal sealed class SparseReadStream(Stream data, SparseMap map) : Stream
{
    private long _position;
    private int _region;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => map.RealSize;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0 || _position >= map.RealSize)
        {
            return 0;
        }

        while (_region < map.Regions.Count && _position >= map.Regions[_region].Offset + map.Regions[_region].Length)
        {
            _region++;
        }

        var (start, length) = _region < map.Regions.Count ? map.Regions[_region] : (map.RealSize, 0);
        long available;
        if (_position < start)
        {
            // A hole up to the next region (or to the end).
            available = Math.Min(buffer.Length, start - _position);
            buffer[..(int)available].Clear();
        }
        else
        {
            available = data.Read(buffer[..(int)Math.Min(buffer.Length, start + length - _position)]);
            if (available == 0)
            {
                throw new EndOfStreamException();
            }
        }

        _position += available;
        return (int)available;
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
