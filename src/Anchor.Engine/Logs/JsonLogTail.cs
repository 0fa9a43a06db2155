using Microsoft.Win32.SafeHandles;

namespace Anchor.Engine.Logs;

/// <summary>
/// Finds where the last N lines of a json-file log begin by reading it backwards from the end in
/// fixed-size blocks, as docker's pkg/tailfile does, so <c>logs --tail N</c> costs the size of
/// those N lines and one block of memory whatever the size of the log. A line is what ends with
/// '\n' (a '\r' before it is part of the line); bytes after the last '\n' are a line still being
/// written and are not counted.
/// </summary>
internal static class JsonLogTail
{
    /// <summary>
    /// The offset of the first of the last <paramref name="count"/> complete lines among the first
    /// <paramref name="size"/> bytes of <paramref name="file"/> (0 when it has fewer; the end of the
    /// last complete line for 0). <paramref name="block"/> is the read buffer and fixes the block size.
    /// </summary>
    public static long StartOfLast(SafeFileHandle file, long size, int count, byte[] block)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);

        // The newline ending the last complete line, then one before each of the lines wanted.
        var newlines = 0;
        var position = size;
        while (position > 0)
        {
            var length = (int)Math.Min(block.Length, position);
            position -= length;
            var span = block.AsSpan(0, length);
            ReadExactlyAt(file, span, position);
            int i;
            while ((i = span.LastIndexOf((byte)'\n')) >= 0)
            {
                if (++newlines == count + 1)
                {
                    return position + i + 1;
                }

                span = span[..i];
            }
        }

        return 0;
    }

    /// <summary>The complete lines ('\n'-terminated) among the first <paramref name="size"/> bytes.</summary>
    public static int CountLines(SafeFileHandle file, long size, byte[] block)
    {
        var lines = 0;
        for (long position = 0; position < size;)
        {
            var span = block.AsSpan(0, (int)Math.Min(block.Length, size - position));
            ReadExactlyAt(file, span, position);
            lines += span.Count((byte)'\n');
            position += span.Length;
        }

        return lines;
    }

    private static void ReadExactlyAt(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        while (buffer.Length > 0)
        {
            var n = RandomAccess.Read(file, buffer, offset);
            if (n == 0)
            {
                throw new IOException("the log file shrank while it was read");
            }

            buffer = buffer[n..];
            offset += n;
        }
    }
}
