using System.Text;
using System.Text.Json;

namespace Anchor.Engine.Monitor;

/// <summary>
/// docker's json-file log driver format: one JSON object per line,
/// <c>{"log":"text\n","stream":"stdout","time":"RFC 3339 UTC"}</c>, so tools that read docker's
/// logs read ours. Lines from stdout and stderr are written whole, under one lock.
/// </summary>
public sealed class JsonLogWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly Lock _gate = new();

    public JsonLogWriter(string path)
    {
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1);
    }

    public void Write(string stream, ReadOnlySpan<byte> line)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("log", Encoding.UTF8.GetString(line));
            json.WriteString("stream", stream);
            json.WriteString("time", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        lock (_gate)
        {
            _file.Write(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            _file.Flush();
        }
    }

    /// <summary>Copies a stream to the log line by line until end of file.</summary>
    public void Pump(Stream source, string stream)
    {
        var pending = new List<byte>();
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = Read(source, buffer)) > 0)
        {
            var span = buffer.AsSpan(0, n);
            int newline;
            while ((newline = span.IndexOf((byte)'\n')) >= 0)
            {
                pending.AddRange(span[..(newline + 1)]);
                Write(stream, pending.ToArray());
                pending.Clear();
                span = span[(newline + 1)..];
            }

            pending.AddRange(span);
        }

        if (pending.Count > 0)
        {
            Write(stream, pending.ToArray());
        }
    }

    private static int Read(Stream source, byte[] buffer)
    {
        try
        {
            return source.Read(buffer, 0, buffer.Length);
        }
        catch (IOException)
        {
            // A pty master reads EIO once the container's side is closed: end of output.
            return 0;
        }
    }

    public void Dispose() => _file.Dispose();
}
