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
    private readonly Dictionary<string, List<byte>> _partial = new(StringComparer.Ordinal);

    public JsonLogWriter(string path)
    {
        _file = Open(path);
    }

    /// <summary>The log for appending, made 0640 as docker's json-file driver makes it (what a container prints may be secret).</summary>
    public static FileStream Open(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Append,
        Access = FileAccess.Write,
        Share = FileShare.ReadWrite,
        BufferSize = 1,
        UnixCreateMode = Linux.FileModes.LogFile,
    });

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

    /// <summary>
    /// Logs a chunk of a stream's output: whole lines are written now, a partial line waits for the
    /// rest (or for <see cref="Flush"/> at end of file).
    /// </summary>
    public void Append(string stream, ReadOnlySpan<byte> chunk)
    {
        var pending = Pending(stream);
        int newline;
        while ((newline = chunk.IndexOf((byte)'\n')) >= 0)
        {
            pending.AddRange(chunk[..(newline + 1)]);
            Write(stream, pending.ToArray());
            pending.Clear();
            chunk = chunk[(newline + 1)..];
        }

        pending.AddRange(chunk);
    }

    /// <summary>The stream ended: its last partial line is written as it is.</summary>
    public void Flush(string stream)
    {
        var pending = Pending(stream);
        if (pending.Count > 0)
        {
            Write(stream, pending.ToArray());
            pending.Clear();
        }
    }

    private List<byte> Pending(string stream)
    {
        if (!_partial.TryGetValue(stream, out var pending))
        {
            _partial[stream] = pending = [];
        }

        return pending;
    }

    public void Dispose() => _file.Dispose();
}
