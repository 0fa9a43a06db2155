using Anchor.Linux;

namespace Anchor.Engine.Monitor;

/// <summary>
/// docker's json-file log driver format: one JSON object per line,
/// <c>{"log":"text\n","stream":"stdout","time":"RFC 3339 UTC"}</c>, so tools that read docker's
/// logs read ours. Lines from stdout and stderr are written whole, under one lock: the lines of
/// one chunk of output are encoded into one buffer (<see cref="JsonLogEncoder"/>) and written with
/// one write(2), so the cost per line is a copy with escapes, not a system call and allocations.
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
    private const int Stdout = 0;
    private const int Stderr = 1;

    // 64 KiB: what a pipe holds by default, so one read's lines are usually one write.
    private readonly byte[] _out = GC.AllocateUninitializedArray<byte>(64 * 1024);
    private readonly byte[][] _pending = [[], []];
    private readonly int[] _pendingLength = new int[2];
    private readonly LogClock _clock = new();
    private int _used;
    private long _size;
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
        _size = _file?.Length ?? 0;
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

    /// <summary>Logs one line (its text with the newline, if it has one) stamped now.</summary>
    public void Write(string stream, ReadOnlySpan<byte> line)
    {
        lock (_gate)
        {
            Encode(StreamIndex(stream), line, _clock.Now());
            WriteOut();
        }
    }

    /// <summary>
    /// Adds one entry to the output buffer, rotating first when the file (with what is buffered)
    /// has reached max-size, as docker checks before each message. Called under the lock.
    /// </summary>
    private void Encode(int stream, ReadOnlySpan<byte> text, ReadOnlySpan<byte> time)
    {
        if (_file is null)
        {
            return;
        }

        if (_config.MaxSize > 0 && _size + _used >= _config.MaxSize)
        {
            WriteOut();
            Rotate();
        }

        var most = JsonLogEncoder.MaxLength(text.Length, time.Length);
        if (_used + most > _out.Length)
        {
            WriteOut();
            if (most > _out.Length)
            {
                // A line longer than the buffer: a buffer of its own, for that line only.
                var single = new byte[most];
                var length = JsonLogEncoder.Encode(single, text, stream == Stderr, time);
                _file.Write(single, 0, length);
                _size += length;
                return;
            }
        }

        _used += JsonLogEncoder.Encode(_out.AsSpan(_used), text, stream == Stderr, time);
    }

    /// <summary>Writes the buffered entries with one write(2): readers see whole lines as soon as they are read.</summary>
    private void WriteOut()
    {
        if (_used > 0 && _file is not null)
        {
            _file.Write(_out, 0, _used);
            _size += _used;
        }

        _used = 0;
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
            _size = 0;
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
        _size = 0;
        if (_config.Compress)
        {
            // Off the relay's thread, as moby compresses after rotating: the container's output
            // does not wait for gzip. Readers take .1 while it exists, then .1.gz (LogFiles).
            var rotated = Rotated(_path, 1);
            _compressing = BackgroundWork.Start(() => Logs.RotatedLog.Compress(rotated), "anchor-log-gzip");
        }
    }

    /// <summary>
    /// Logs a chunk of a stream's output: whole lines are written now (all of the chunk's lines
    /// with one time stamp, the time they were read, and one write), a partial line waits for the
    /// rest (or for <see cref="Flush"/> at end of file).
    /// </summary>
    public void Append(string stream, ReadOnlySpan<byte> chunk)
    {
        var index = StreamIndex(stream);
        lock (_gate)
        {
            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Keep(index, chunk);
                return;
            }

            var time = _clock.Now();
            if (_pendingLength[index] > 0)
            {
                Keep(index, chunk[..(newline + 1)]);
                Encode(index, _pending[index].AsSpan(0, _pendingLength[index]), time);
                _pendingLength[index] = 0;
                chunk = chunk[(newline + 1)..];
                newline = chunk.IndexOf((byte)'\n');
            }

            while (newline >= 0)
            {
                Encode(index, chunk[..(newline + 1)], time);
                chunk = chunk[(newline + 1)..];
                newline = chunk.IndexOf((byte)'\n');
            }

            Keep(index, chunk);
            WriteOut();
        }
    }

    /// <summary>The stream ended: its last partial line is written as it is.</summary>
    public void Flush(string stream)
    {
        var index = StreamIndex(stream);
        lock (_gate)
        {
            if (_pendingLength[index] > 0)
            {
                Encode(index, _pending[index].AsSpan(0, _pendingLength[index]), _clock.Now());
                _pendingLength[index] = 0;
                WriteOut();
            }
        }
    }

    /// <summary>Holds the start of a line until its end arrives.</summary>
    private void Keep(int index, ReadOnlySpan<byte> part)
    {
        if (part.IsEmpty)
        {
            return;
        }

        var needed = _pendingLength[index] + part.Length;
        if (_pending[index].Length < needed)
        {
            Array.Resize(ref _pending[index], Math.Max(needed, Math.Max(256, _pending[index].Length * 2)));
        }

        part.CopyTo(_pending[index].AsSpan(_pendingLength[index]));
        _pendingLength[index] = needed;
    }

    private static int StreamIndex(string stream) => stream == "stderr" ? Stderr : Stdout;

    public void Dispose()
    {
        lock (_gate)
        {
            WriteOut();
        }

        _file?.Dispose();
        _compressing?.WaitQuietly();
    }
}
