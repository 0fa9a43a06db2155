using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Anchor.Engine.Security;

/// <summary>What docker's client does to a profile file's JSON with Go's encoding/json, and its words for bad JSON.</summary>
public static class GoJson
{
    /// <summary>Go's json.Compact: the same text less white space outside strings; FormatException for invalid JSON.</summary>
    public static string Compact(ReadOnlySpan<byte> json)
    {
        // Validate first (one value, nothing after it), then drop the white space.
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            throw new FormatException(SyntaxError(json, e), e);
        }

        var output = new StringBuilder(json.Length);
        var text = Encoding.UTF8.GetString(json);
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                output.Append(c);
                if (c == '\\')
                {
                    output.Append(text[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c is not (' ' or '\t' or '\n' or '\r'))
            {
                output.Append(c);
                inString = c == '"';
            }
        }

        return output.ToString();
    }

    /// <summary>
    /// Where the JSON went wrong, in words (the published binary has no resource strings, so
    /// System.Text.Json's own messages are only keys): Go says "invalid character 'x' …" and
    /// "unexpected end of JSON input".
    /// </summary>
    private static string SyntaxError(ReadOnlySpan<byte> json, JsonException e)
    {
        var line = e.LineNumber ?? 0;
        var column = e.BytePositionInLine ?? 0;
        var offset = 0L;
        for (var l = 0L; l < line && offset < json.Length; offset++)
        {
            if (json[(int)offset] == '\n')
            {
                l++;
            }
        }

        offset += column;
        return offset >= json.Length
            ? "unexpected end of JSON input"
            : string.Create(CultureInfo.InvariantCulture, $"invalid character '{(char)json[(int)offset]}' at line {line + 1}, column {column + 1}");
    }
}
