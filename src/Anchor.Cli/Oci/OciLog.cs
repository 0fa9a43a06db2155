using System.Text;

namespace Anchor.Cli.Oci;

/// <summary>
/// runc's logging (main.go configLogrus, utils.go fatal): an error goes to --log (logrus text or,
/// with --log-format json, one JSON object a line: containerd's shim reads the last "error" line
/// back as the reason of a failure) and, when that is not stderr, to stderr as a bare line.
/// </summary>
internal sealed class OciLog(string? file, bool json)
{
    public void Error(string message)
    {
        var line = json ? Json("error", message) : Text("error", message);
        if (file is null)
        {
            Console.Error.Write(line);
            return;
        }

        try
        {
            File.AppendAllText(file, line);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The log is best effort; the message still reaches stderr below.
        }

        Console.Error.WriteLine(message);
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Json(string level, string message)
    {
        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("level", level);
            w.WriteString("msg", message);
            w.WriteString("time", Now());
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>logrus's TextFormatter without a terminal: time="…" level=error msg="…" (Go %q quoting).</summary>
    private static string Text(string level, string message)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in message)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        quoted.Append('"');
        return $"time=\"{Now()}\" level={level} msg={quoted}\n";
    }
}
