using System.Text.Json;

namespace Anchor.Engine.Logs;

/// <summary>
/// Decodes one line of docker's json-file log, <c>{"log":"…","stream":"stdout|stderr","time":"…"}</c>
/// (other members such as "attrs" are skipped), without allocating per line: the log text is
/// unescaped into a reused buffer. A line that is not such an object is not a log entry.
/// </summary>
internal sealed class JsonLogDecoder
{
    private byte[] _text = new byte[4096];
    private byte[] _time = new byte[64];

    public bool TryDecode(ReadOnlySpan<byte> line, out bool stderr, out ReadOnlySpan<byte> time, out ReadOnlySpan<byte> text)
    {
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
