using System.Buffers.Binary;

namespace Anchor.Engine.Attach;

/// <summary>
/// One frame of the attach socket, both directions: an 8-byte header like docker's stdcopy
/// (stream id, three zero bytes, payload length as big-endian uint32), then the payload.
/// </summary>
public readonly record struct AttachFrame(AttachStream Stream, byte[] Payload)
{
    public const int HeaderSize = 8;

    /// <summary>A peer that announces more than this is not speaking the protocol.</summary>
    public const int MaxPayload = 1 << 20;

    public static byte[] Encode(AttachStream stream, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[HeaderSize + payload.Length];
        frame[0] = (byte)stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(HeaderSize));
        return frame;
    }

    public static byte[] Resize(ushort rows, ushort columns)
    {
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(size, rows);
        BinaryPrimitives.WriteUInt16BigEndian(size[2..], columns);
        return Encode(AttachStream.Resize, size);
    }

    public static byte[] Exit(int code)
    {
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, code);
        return Encode(AttachStream.Exit, payload);
    }

    /// <summary>The rows and columns of a <see cref="AttachStream.Resize"/> frame.</summary>
    public (ushort Rows, ushort Columns) Size =>
        Payload.Length == 4
            ? (BinaryPrimitives.ReadUInt16BigEndian(Payload), BinaryPrimitives.ReadUInt16BigEndian(Payload.AsSpan(2)))
            : throw new InvalidDataException($"resize frame of {Payload.Length} bytes (expected 4)");

    /// <summary>The exit code of an <see cref="AttachStream.Exit"/> frame.</summary>
    public int ExitCode =>
        Payload.Length == 4
            ? BinaryPrimitives.ReadInt32BigEndian(Payload)
            : throw new InvalidDataException($"exit frame of {Payload.Length} bytes (expected 4)");
}
