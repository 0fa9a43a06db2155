using System.Text;
using System.Text.Json;

namespace Anchor.Engine.Events;

/// <summary>
/// The journal's record: an RFC 7464 JSON text sequence element, RS (0x1E), docker's event JSON on
/// one line, LF. JSON never holds a raw RS or LF (control characters are escaped inside strings), so
/// a record is complete exactly when its LF is there: a writer killed in the middle of its write(2)
/// leaves a prefix without LF, which readers skip once the next RS shows where the next record
/// starts (RFC 7464 section 2.3). The JSON is docker's events.Message, fields in its order:
/// the legacy status/id/from (container and image events only, as moby's events.Log fills them),
/// Type, Action, Actor {ID, Attributes (sorted: Go marshals maps by key)}, scope, time, timeNano.
/// </summary>
public static class EventCodec
{
    public const byte RecordSeparator = 0x1E;
    public const byte LineFeed = 0x0A;

    /// <summary>Largest record written: every record goes in one write(2), far below a page's worth of risk.</summary>
    public const int MaxRecordBytes = 8192;

    /// <summary>Longest attribute value kept; longer ones (a label holding a file) are cut.</summary>
    private const int MaxValueChars = 1024;

    /// <summary>RS + JSON + LF, at most <see cref="MaxRecordBytes"/>: long values are cut, then attributes dropped (name kept).</summary>
    public static byte[] Encode(EngineEvent e)
    {
        var attributes = e.Attributes.ToDictionary(a => a.Key, a => a.Value.Length > MaxValueChars ? a.Value[..MaxValueChars] : a.Value);
        var record = Frame(e with { Attributes = attributes });
        if (record.Length > MaxRecordBytes)
        {
            var kept = attributes.Where(a => a.Key is "name" or "image" or "container").ToDictionary(a => a.Key, a => a.Value);
            record = Frame(e with { Attributes = kept });
        }

        return record;
    }

    private static byte[] Frame(EngineEvent e)
    {
        var buffer = new MemoryStream();
        buffer.WriteByte(RecordSeparator);
        WriteJson(buffer, e);
        buffer.WriteByte(LineFeed);
        return buffer.ToArray();
    }

    /// <summary>docker's events.Message JSON, compact, as `docker events --format '{{json .}}'` prints it.</summary>
    public static string ToJson(EngineEvent e)
    {
        var buffer = new MemoryStream();
        WriteJson(buffer, e);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteJson(Stream output, EngineEvent e)
    {
        // Go's encoder escapes <, > and & as \u003c…; the relaxed encoder keeps them and other
        // non-ASCII as is, which only differs in bytes, not in meaning.
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        if (e.Type is EngineEvent.ContainerType or EngineEvent.ImageType)
        {
            writer.WriteString("status", e.Action);
            writer.WriteString("id", e.ActorId);
            if (e.Type == EngineEvent.ContainerType && e.Attributes.TryGetValue("image", out var from) && from.Length > 0)
            {
                writer.WriteString("from", from);
            }
        }

        writer.WriteString("Type", e.Type);
        writer.WriteString("Action", e.Action);
        writer.WriteStartObject("Actor");
        writer.WriteString("ID", e.ActorId);
        writer.WriteStartObject("Attributes");
        foreach (var (key, value) in e.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteString("scope", "local");
        writer.WriteNumber("time", e.Time);
        writer.WriteNumber("timeNano", e.TimeNano);
        writer.WriteEndObject();
    }

    /// <summary>The event in one record's JSON (between RS and LF, LF excluded); null when it is not one (damaged).</summary>
    public static EngineEvent? Decode(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("Type", out var type) || type.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("Action", out var action) || action.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("Actor", out var actor) || actor.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("timeNano", out var timeNano) || !timeNano.TryGetInt64(out var nanos))
            {
                return null;
            }

            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            if (actor.TryGetProperty("Attributes", out var attrs) && attrs.ValueKind == JsonValueKind.Object)
            {
                foreach (var a in attrs.EnumerateObject())
                {
                    attributes[a.Name] = a.Value.ValueKind == JsonValueKind.String ? a.Value.GetString()! : a.Value.GetRawText();
                }
            }

            var id = actor.TryGetProperty("ID", out var actorId) && actorId.ValueKind == JsonValueKind.String ? actorId.GetString()! : "";
            return new EngineEvent(type.GetString()!, action.GetString()!, id, attributes, nanos);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
