using System.Buffers;
using System.Text;

namespace Anchor.Engine.Monitor;

/// <summary>
/// Encodes one json-file log entry, <c>{"log":"…","stream":"stdout","time":"…"}</c> and its
/// newline, straight into a byte span: no string, no JSON writer, no allocation per line (the log
/// relay's hot path; `yes` in a container makes millions of lines a second). The text is escaped
/// as moby's jsonlog writer escapes it (daemon/logger/jsonfilelog/jsonlog, Go encoding/json's
/// rules): quote, backslash and control characters, &lt; &gt; &amp; and U+2028/U+2029 as escapes,
/// bytes that are not UTF-8 as U+FFFD, other UTF-8 as it is.
/// </summary>
public static class JsonLogEncoder
{
    // Printable ASCII that JSON and the HTML-safe set leave as it is.
    private static readonly SearchValues<byte> Plain = SearchValues.Create(PlainBytes());

    /// <summary>The most bytes an entry of <paramref name="textLength"/> bytes of text takes (each byte as \u00XX, six).</summary>
    public static int MaxLength(int textLength, int timeLength) => (textLength * 6) + timeLength + 48;

    /// <summary>Writes the entry and its '\n' at the start of <paramref name="destination"/> (at least <see cref="MaxLength"/> long); returns its length.</summary>
    public static int Encode(Span<byte> destination, ReadOnlySpan<byte> text, bool stderr, ReadOnlySpan<byte> time)
    {
        var at = Put(destination, 0, "{\"log\":\""u8);
        at = Escape(destination, at, text);
        at = Put(destination, at, stderr ? "\",\"stream\":\"stderr\",\"time\":\""u8 : "\",\"stream\":\"stdout\",\"time\":\""u8);
        at = Put(destination, at, time);
        return Put(destination, at, "\"}\n"u8);
    }

    private static int Escape(Span<byte> destination, int at, ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty)
        {
            var plain = text.IndexOfAnyExcept(Plain);
            if (plain < 0)
            {
                return Put(destination, at, text);
            }

            at = Put(destination, at, text[..plain]);
            text = text[plain..];
            var b = text[0];
            if (b < 0x80)
            {
                at = EscapeAscii(destination, at, b);
                text = text[1..];
                continue;
            }

            var status = Rune.DecodeFromUtf8(text, out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                at = Put(destination, at, "\\ufffd"u8);
            }
            else if (rune.Value is 0x2028 or 0x2029)
            {
                at = Put(destination, at, rune.Value == 0x2028 ? "\\u2028"u8 : "\\u2029"u8);
            }
            else
            {
                at = Put(destination, at, text[..consumed]);
            }

            text = text[consumed..];
        }

        return at;
    }

    private static int EscapeAscii(Span<byte> destination, int at, byte b)
    {
        switch (b)
        {
            case (byte)'"':
                return Put(destination, at, "\\\""u8);
            case (byte)'\\':
                return Put(destination, at, "\\\\"u8);
            case (byte)'\n':
                return Put(destination, at, "\\n"u8);
            case (byte)'\r':
                return Put(destination, at, "\\r"u8);
            case (byte)'\t':
                return Put(destination, at, "\\t"u8);
            default:
                // Other control characters and < > &: \u00XX.
                at = Put(destination, at, "\\u00"u8);
                destination[at++] = Hex(b >> 4);
                destination[at++] = Hex(b & 0xF);
                return at;
        }
    }

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    private static int Put(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }

    private static byte[] PlainBytes()
    {
        var bytes = new List<byte>();
        for (var b = 0x20; b < 0x80; b++)
        {
            if (b is not ('"' or '\\' or '<' or '>' or '&'))
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }
}
