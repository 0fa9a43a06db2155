namespace Anchor.Engine.Copy;

/// <summary>
/// Exactly <paramref name="length"/> bytes of <paramref name="inner"/>: cut off when the file grew
/// since it was stat'ed, padded with zeros when it shrank (GNU tar warns and does the same), so the
/// size in the tar header always matches the data that follows it.
/// </summary>
internal sealed class FixedLengthStream(Stream inner, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _ = value == _position ? value : throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var remaining = length - _position;
        if (remaining <= 0 || buffer.Length == 0)
        {
            return 0;
        }

        var want = (int)Math.Min(buffer.Length, remaining);
        var n = inner.Read(buffer[..want]);
        if (n == 0)
        {
            buffer[..want].Clear();
            n = want;
        }

        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) =>
        offset == 0 && origin == SeekOrigin.Begin && _position == 0 ? 0 : throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
