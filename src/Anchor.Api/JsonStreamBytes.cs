using System.Text;

namespace Anchor.Api;

/// <summary>
/// Bytes (RUN steps' output) as docker's {"stream": …} messages, one per write, decoded across
/// writes so that a character split between two reads stays whole.
/// </summary>
internal sealed class JsonStreamBytes(JsonMessageStream messages) : Stream
{
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var chars = new char[_decoder.GetCharCount(buffer, flush: false)];
        var n = _decoder.GetChars(buffer, chars, flush: false);
        if (n > 0)
        {
            messages.Stream(new string(chars, 0, n));
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
