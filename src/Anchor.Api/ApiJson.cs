using System.Text.Json;

namespace Anchor.Api;

/// <summary>Responses as docker's daemon writes them: JSON bodies, and errors as <c>{"message": "..."}</c> (moby api/server/httputils).</summary>
public static class ApiJson
{
    public static void Write(HttpContext context, int status, Action<Utf8JsonWriter> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.Body))
        {
            body(writer);
        }

        // docker's encoder ends every document with a newline (json.Encoder.Encode).
        context.Response.Body.Write("\n"u8);
    }

    public static void Ok(HttpContext context, Action<Utf8JsonWriter> body) => Write(context, StatusCodes.Status200OK, body);

    /// <summary>A 304 has no body (net/http refuses one); every other failure carries the message.</summary>
    public static void Error(HttpContext context, int status, string message)
    {
        if (status == StatusCodes.Status304NotModified)
        {
            context.Response.StatusCode = status;
            return;
        }

        Write(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteEndObject();
        });
    }

    /// <summary>A string map as docker writes Labels and Options: null when there is none.</summary>
    public static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string>? map)
    {
        if (map is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }

    /// <summary>A string list as a JSON array, named or (null name) as a value.</summary>
    public static void WriteStrings(Utf8JsonWriter w, string? name, IEnumerable<string> values)
    {
        if (name is null)
        {
            w.WriteStartArray();
        }
        else
        {
            w.WriteStartArray(name);
        }

        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
