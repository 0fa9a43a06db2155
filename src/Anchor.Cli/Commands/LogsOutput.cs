using Anchor.Engine.Logs;

namespace Anchor.Cli.Commands;

/// <summary>
/// The client half of <c>docker logs</c>: stdout lines to stdout, stderr lines to stderr, in the
/// log's order (what one stream buffered is written before the other stream's line), with
/// <c>-t</c> the time first in docker's fixed-width form (RFC3339NanoFixed, nine fraction digits).
/// Lines are buffered and written when the buffer fills, the stream changes or the reader has
/// caught up, instead of one write per line. With <c>--details</c> each line starts with its
/// extra attributes and a space (moby daemon/logs.go); Anchor's logs carry none, so just the space.
/// </summary>
public sealed class LogsOutput(Stream stdout, Stream stderr, bool timestamps, bool details = false) : ILogSink
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _used;
    private bool _stderr;

    public void Write(bool stderr, ReadOnlySpan<byte> time, ReadOnlySpan<byte> text)
    {
        if (stderr != _stderr)
        {
            Flush();
            _stderr = stderr;
        }

        if (timestamps)
        {
            AppendFixedTime(time);
            Append(" "u8);
        }

        if (details)
        {
            Append(" "u8);
        }

        Append(text);
    }

    public void Flush()
    {
        if (_used > 0)
        {
            var target = _stderr ? stderr : stdout;
            target.Write(_buffer, 0, _used);
            target.Flush();
            _used = 0;
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_used + bytes.Length > _buffer.Length)
        {
            Flush();
            if (bytes.Length > _buffer.Length)
            {
                (_stderr ? stderr : stdout).Write(bytes);
                return;
            }
        }

        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    /// <summary>"2006-01-02T15:04:05" then the fraction cut or padded to nine digits, then the zone as stored.</summary>
    private void AppendFixedTime(ReadOnlySpan<byte> time)
    {
        const int DateTimeLength = 19;
        if (time.Length < DateTimeLength)
        {
            Append(time);
            return;
        }

        Append(time[..DateTimeLength]);
        var rest = time[DateTimeLength..];
        var digits = ReadOnlySpan<byte>.Empty;
        if (rest.Length > 0 && rest[0] == '.')
        {
            var end = 1;
            while (end < rest.Length && char.IsAsciiDigit((char)rest[end]))
            {
                end++;
            }

            digits = rest[1..end];
            rest = rest[end..];
        }

        Span<byte> fraction = stackalloc byte[10];
        fraction.Fill((byte)'0');
        fraction[0] = (byte)'.';
        digits[..Math.Min(9, digits.Length)].CopyTo(fraction[1..]);
        Append(fraction);
        Append(rest);
    }
}
