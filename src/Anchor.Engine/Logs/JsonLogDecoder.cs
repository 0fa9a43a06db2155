using System.Text.Json;

namespace Anchor.Engine.Logs;

/// <summary>
/// Decodes one line of docker's json-file log, <c>{"log":"…","stream":"stdout|stderr","time":"…"}</c>
/// (other members such as "attrs" are skipped), without allocating per line: the log text is
/// unescaped into a reused buffer. A line that is not such an object is not a log entry.
/// Lines in the exact layout the json-file writers produce (Anchor's and docker's: log, stream,
/// time, in that order, nothing else) are taken apart by a direct scan; any other line goes
/// through <see cref="Utf8JsonReader"/>. `logs` of a large log spends its time here.
/// </summary>
internal sealed class JsonLogDecoder
{
    private byte[] _text = new byte[4096];
    private byte[] _time = new byte[64];

    public bool TryDecode(ReadOnlySpan<byte> line, out bool stderr, out ReadOnlySpan<byte> time, out ReadOnlySpan<byte> text)
    {
        if (TryDecodeExact(line, out stderr, out time, out text))
        {
            return true;
        }

        stderr = false;
        time = default;
        text = default;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("log"u8))
                {
                    reader.Read();
                    text = reader.TokenType == JsonTokenType.String ? Unescape(ref reader, ref _text) : default;
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    stderr = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("stderr"u8);
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    time = reader.TokenType == JsonTokenType.String ? Unescape(ref reader, ref _time) : default;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The writers' layout, <c>{"log":"…","stream":"stdout","time":"…"}</c>; false for anything else (the caller then parses it fully).</summary>
    private bool TryDecodeExact(ReadOnlySpan<byte> line, out bool stderr, out ReadOnlySpan<byte> time, out ReadOnlySpan<byte> text)
    {
        stderr = false;
        time = default;
        text = default;
        if (!line.StartsWith("{\"log\":\""u8) || !TryString(line[8..], out var length, out text))
        {
            return false;
        }

        var rest = line[(8 + length)..];
        if (rest.StartsWith("\"stream\":\"stdout\",\"time\":\""u8))
        {
            rest = rest[26..];
        }
        else if (rest.StartsWith("\"stream\":\"stderr\",\"time\":\""u8))
        {
            stderr = true;
            rest = rest[26..];
        }
        else
        {
            return false;
        }

        var end = rest.IndexOfAny((byte)'"', (byte)'\\');
        if (end < 0 || rest[end] != '"' || !rest[(end + 1)..].SequenceEqual("}"u8))
        {
            return false;
        }

        time = rest[..end];
        return true;
    }

    /// <summary>
    /// A JSON string's contents up to its closing quote, unescaped (into the reused buffer when it
    /// has escapes); <paramref name="length"/> is what it took, the closing quote and the comma
    /// after it included. False for what this scan leaves to the full parser (surrogate pairs).
    /// </summary>
    private bool TryString(ReadOnlySpan<byte> json, out int length, out ReadOnlySpan<byte> value)
    {
        length = 0;
        value = default;
        var stop = json.IndexOfAny((byte)'"', (byte)'\\');
        if (stop < 0)
        {
            return false;
        }

        if (json[stop] == '"')
        {
            value = json[..stop];
            length = stop + 2;
            return json.Length > stop + 1 && json[stop + 1] == ',';
        }

        // Unescaped text is never longer than its escaped form.
        if (_text.Length < json.Length)
        {
            _text = new byte[Math.Max(json.Length, _text.Length * 2)];
        }

        var written = 0;
        var at = 0;
        while (true)
        {
            json[at..stop].CopyTo(_text.AsSpan(written));
            written += stop - at;
            at = stop;
            if (json[at] == '"')
            {
                break;
            }

            if (at + 1 >= json.Length)
            {
                return false;
            }

            var escaped = json[at + 1];
            at += 2;
            switch (escaped)
            {
                case (byte)'n': _text[written++] = (byte)'\n'; break;
                case (byte)'t': _text[written++] = (byte)'\t'; break;
                case (byte)'r': _text[written++] = (byte)'\r'; break;
                case (byte)'"': _text[written++] = (byte)'"'; break;
                case (byte)'\\': _text[written++] = (byte)'\\'; break;
                case (byte)'/': _text[written++] = (byte)'/'; break;
                case (byte)'b': _text[written++] = 0x08; break;
                case (byte)'f': _text[written++] = 0x0C; break;
                case (byte)'u':
                    if (at + 4 > json.Length
                        || !int.TryParse(json.Slice(at, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var code)
                        || !System.Text.Rune.TryCreate(code, out var rune))
                    {
                        return false; // a surrogate (pair) or bad hex: the full parser decides
                    }

                    written += rune.EncodeToUtf8(_text.AsSpan(written));
                    at += 4;
                    break;
                default:
                    return false;
            }

            var next = json[at..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0)
            {
                return false;
            }

            stop = at + next;
        }

        value = _text.AsSpan(0, written);
        length = at + 2;
        return json.Length > at + 1 && json[at + 1] == ',';
    }

    private static ReadOnlySpan<byte> Unescape(scoped ref Utf8JsonReader reader, ref byte[] buffer)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        // Unescaped text is never longer than its escaped form.
        if (buffer.Length < reader.ValueSpan.Length)
        {
            buffer = new byte[Math.Max(reader.ValueSpan.Length, buffer.Length * 2)];
        }

        return buffer.AsSpan(0, reader.CopyString(buffer));
    }
}
