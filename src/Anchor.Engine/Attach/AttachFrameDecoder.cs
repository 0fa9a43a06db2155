using System.Buffers.Binary;

namespace Anchor.Engine.Attach;

/// <summary>
/// Cuts a byte stream into <see cref="AttachFrame"/>s: bytes go in as they arrive (any split),
/// whole frames come out. A header with an unknown stream id, non-zero padding or an oversized
/// length is a protocol error (<see cref="InvalidDataException"/>): the peer is dropped.
/// </summary>
public sealed class AttachFrameDecoder
{
    private byte[] _buffer = new byte[256];
    private int _length;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_length + data.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + data.Length));
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    public bool TryRead(out AttachFrame frame)
    {
        frame = default;
        if (_length < AttachFrame.HeaderSize)
        {
            return false;
        }

        var header = _buffer.AsSpan(0, AttachFrame.HeaderSize);
        var stream = (AttachStream)header[0];
        if (!Enum.IsDefined(stream) || header[1] != 0 || header[2] != 0 || header[3] != 0)
        {
            throw new InvalidDataException($"not an attach frame header: {Convert.ToHexString(header)}");
        }

        var size = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if (size > AttachFrame.MaxPayload)
        {
            throw new InvalidDataException($"attach frame of {size} bytes (at most {AttachFrame.MaxPayload})");
        }

        var total = AttachFrame.HeaderSize + (int)size;
        if (_length < total)
        {
            return false;
        }

        frame = new AttachFrame(stream, _buffer.AsSpan(AttachFrame.HeaderSize, (int)size).ToArray());
        _buffer.AsSpan(total, _length - total).CopyTo(_buffer);
        _length -= total;
        return true;
    }
}
