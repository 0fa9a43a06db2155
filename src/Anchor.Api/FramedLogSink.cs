using Anchor.Engine.Logs;

namespace Anchor.Api;

/// <summary>
/// Log lines as docker's API sends them: without a TTY each line in a stdcopy frame (stream byte
/// 1 or 2, three zero bytes, big-endian uint32 length: moby pkg/stdcopy), with one the bare bytes.
/// With timestamps each line starts with its time and a space (the time as the log stores it).
/// </summary>
public sealed class FramedLogSink(Stream output, bool tty, bool wantStdout, bool wantStderr, bool timestamps) : ILogSink, IDisposable
{
    private readonly MemoryStream _pending = new();

    public void Write(bool stderr, ReadOnlySpan<byte> time, ReadOnlySpan<byte> text)
    {
        if (stderr ? !wantStderr : !wantStdout)
        {
            return;
        }

        var length = text.Length + (timestamps ? time.Length + 1 : 0);
        if (!tty)
        {
            Span<byte> header = stackalloc byte[8];
            header.Clear();
            header[0] = stderr ? (byte)2 : (byte)1;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)length);
            _pending.Write(header);
        }

        if (timestamps)
        {
            _pending.Write(time);
            _pending.WriteByte((byte)' ');
        }

        _pending.Write(text);
        if (_pending.Length >= 64 * 1024)
        {
            Flush();
        }
    }

    public void Flush()
    {
        if (_pending.Length > 0)
        {
            output.Write(_pending.GetBuffer(), 0, (int)_pending.Length);
            _pending.SetLength(0);
        }

        output.Flush();
    }

    public void Dispose() => _pending.Dispose();
}
