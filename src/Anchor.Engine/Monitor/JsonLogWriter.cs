using System.Text;
using System.Text.Json;
using Anchor.Linux;

namespace Anchor.Engine.Monitor;

/// <summary>
/// docker's json-file log driver format: one JSON object per line,
/// <c>{"log":"text\n","stream":"stdout","time":"RFC 3339 UTC"}</c>, so tools that read docker's
/// logs read ours. Lines from stdout and stderr are written whole, under one lock.
/// <para>
/// With a max-size the file is rotated as docker's json-file driver rotates it (moby
/// daemon/logger/loggerutils LogFile): before a line is written, a file that has reached max-size
/// becomes ID-json.log.1 (.1 becomes .2 and so on, the oldest beyond max-file goes), and a new file
/// is started; with max-file 1 the file is truncated instead. With compress the rotated files are
/// ID-json.log.1.gz and so on. The log driver "none" keeps nothing.
/// </para>
/// </summary>
public sealed class JsonLogWriter : IDisposable
{
    private readonly string _path;
    private readonly Logs.LogConfig _config;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<byte>> _partial = new(StringComparer.Ordinal);
    private FileStream? _file;
    private BackgroundWork? _compressing;

    public JsonLogWriter(string path)
        : this(path, Logs.LogConfig.Default)
    {
    }

    public JsonLogWriter(string path, Logs.LogConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _path = path;
        _config = config;
        _file = config.Keeps ? Open(path) : null;
    }

    /// <summary>What a compressed rotated file's name ends with (moby loggerutils: ID-json.log.1.gz).</summary>
    public const string Compressed = ".gz";

    /// <summary>The name of the <paramref name="index"/>th rotated file (1 is the newest), docker's naming.</summary>
    public static string Rotated(string path, int index) => $"{path}.{index}";

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
            if (_file is null)
            {
                return;
            }

            if (_config.MaxSize > 0 && _file.Length >= _config.MaxSize)
            {
                Rotate();
            }

            _file.Write(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            _file.Flush();
        }
    }

    /// <summary>
    /// Renames oldest first, so at every instant each name holds a whole file and a reader that
    /// lists them sees no line twice; the current file is renamed last and a new one opened at once.
    /// </summary>
    private void Rotate()
    {
        _file!.Dispose();
        if (_config.MaxFile < 2)
        {
            _file = new FileStream(_path, new FileStreamOptions { Mode = FileMode.Truncate, Access = FileAccess.Write, Share = FileShare.ReadWrite, BufferSize = 1 });
            return;
        }

        // The previous rotation's .1 is compressed before it moves on as .2.gz.
        _compressing?.WaitQuietly();
        var suffix = _config.Compress ? Compressed : "";
        for (var i = _config.MaxFile - 1; i > 1; i--)
        {
            if (File.Exists(Rotated(_path, i - 1) + suffix))
            {
                File.Move(Rotated(_path, i - 1) + suffix, Rotated(_path, i) + suffix, overwrite: true);
            }
        }

        File.Move(_path, Rotated(_path, 1), overwrite: true);
        _file = Open(_path);
        if (_config.Compress)
        {
            // Off the relay's thread, as moby compresses after rotating: the container's output
            // does not wait for gzip. Readers take .1 while it exists, then .1.gz (LogFiles).
            var rotated = Rotated(_path, 1);
            _compressing = BackgroundWork.Start(() => Logs.RotatedLog.Compress(rotated), "anchor-log-gzip");
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

    public void Dispose()
    {
        _file?.Dispose();
        _compressing?.WaitQuietly();
    }
}
