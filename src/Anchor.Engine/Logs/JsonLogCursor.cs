using Microsoft.Win32.SafeHandles;

namespace Anchor.Engine.Logs;

/// <summary>
/// Reads a json-file log forwards line by line through one buffer, which grows only to hold the
/// longest line: reading all of a large log never holds more than that in memory. A partly written
/// last line stays in the buffer until its '\n' arrives, so a follower sees it whole.
/// </summary>
internal sealed class JsonLogCursor(SafeFileHandle file, long offset, int bufferSize)
{
    private byte[] _buffer = new byte[bufferSize];
    private int _start;   // first byte of the next line
    private int _scanned; // bytes from _start known to hold no '\n'
    private int _end;     // end of the bytes read
    private long _offset = offset; // file offset of _buffer[_end]

    /// <summary>
    /// The next complete line without its '\n', reading no further than file offset
    /// <paramref name="limit"/>; false when no complete line is there (yet). The span is valid until
    /// the next call.
    /// </summary>
    public bool TryReadLine(long limit, out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start + _scanned, _end - _start - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = _buffer.AsSpan(_start, _scanned + newline);
                _start += _scanned + newline + 1;
                _scanned = 0;
                return true;
            }

            _scanned = _end - _start;
            if (_offset >= limit)
            {
                line = default;
                return false;
            }

            MakeRoom();
            var n = RandomAccess.Read(file, _buffer.AsSpan(_end, (int)Math.Min(_buffer.Length - _end, limit - _offset)), _offset);
            if (n == 0)
            {
                line = default;
                return false;
            }

            _end += n;
            _offset += n;
        }
    }

    /// <summary>Moves the partial line to the front, or doubles the buffer when it fills it.</summary>
    private void MakeRoom()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _start = 0;
            _end = pending;
        }
        else if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
    }
}
