using System.Text;
using Anchor.Engine.Containers;
using Anchor.Engine.Logs;
using Anchor.Engine.Monitor;

namespace Anchor.Engine.Tests.Logs;

/// <summary>The reader as a whole, on a json-file log written by hand (tail, window, partial lines) or by the rotating writer.</summary>
public sealed class LogReaderTests : IDisposable
{
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "anchor-logreader-" + Guid.NewGuid().ToString("N"));
    private readonly AnchorPaths _paths;

    public LogReaderTests()
    {
        _paths = new AnchorPaths(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        Directory.CreateDirectory(_paths.ContainerDirectory(Id));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class Lines : ILogSink
    {
        public List<string> Written { get; } = [];

        public void Write(bool stderr, ReadOnlySpan<byte> time, ReadOnlySpan<byte> text) =>
            Written.Add((stderr ? "E " : "O ") + Encoding.UTF8.GetString(text).TrimEnd('\n'));

        public void Flush() { }
    }

    /// <summary>Line i is "line{i}" at 2024-01-01T00:00:0i Z, every third on stderr.</summary>
    private static string Entry(int i) =>
        $"{{\"log\":\"line{i}\\n\",\"stream\":\"{(i % 3 == 2 ? "stderr" : "stdout")}\",\"time\":\"2024-01-01T00:00:0{i}.5Z\"}}\n";

    private List<string> Read(string log, LogOptions options)
    {
        File.WriteAllText(ContainerMonitor.LogPath(_paths, Id), log);
        var sink = new Lines();
        new LogReader(_paths, new ContainerStore(_paths)).Read(Id, options, sink);
        return sink.Written;
    }

    private static Int128 At(int second) => (((Int128)1704067200 + second) * 1_000_000_000) + 500_000_000;

    [Fact]
    public void Read_TailThenWindow_InTheLogsOrder()
    {
        var log = string.Concat(Enumerable.Range(0, 6).Select(Entry));
        Assert.Equal(["O line0", "O line1", "E line2", "O line3", "O line4", "E line5"], Read(log, new LogOptions(null, false)));
        Assert.Equal(["O line4", "E line5"], Read(log, new LogOptions(2, false)));
        Assert.Equal(["E line2", "O line3"], Read(log, new LogOptions(null, false, At(2), At(3))));
        Assert.Equal(["O line4", "E line5"], Read(log, new LogOptions(3, false, At(4))));
        Assert.Empty(Read(log, new LogOptions(2, false, null, At(3))));
        Assert.Empty(Read(log, new LogOptions(0, false)));
    }

    [Fact]
    public void Read_PartialLastLineAndGarbage_AreNotEntries()
    {
        var log = Entry(0) + "not json\n" + Entry(1) + Entry(2)[..20];
        Assert.Equal(["O line0", "O line1"], Read(log, new LogOptions(null, false)));
        Assert.Equal(["O line1"], Read(log, new LogOptions(1, false)));
    }

    [Fact]
    public void Read_FollowOfAGoneContainer_EndsWhenTheLogHasNoMore()
    {
        Assert.Equal(["O line0"], Read(Entry(0), new LogOptions(null, true)));
    }

    // Rotation (--log-opt max-size/max-file): the json-file writer and the reader across the files.

    private string LogPath => ContainerMonitor.LogPath(_paths, Id);

    private void WriteRotating(LogConfig config, int count)
    {
        using var writer = new JsonLogWriter(LogPath, config);
        for (var i = 1; i <= count; i++)
        {
            writer.Append(i % 2 == 0 ? "stderr" : "stdout", Encoding.UTF8.GetBytes($"line{i}\n"));
        }
    }

    /// <summary>The log as written (rotated files included), the texts only.</summary>
    private List<string> ReadRotated(int? tail)
    {
        var sink = new Lines();
        new LogReader(_paths, new ContainerStore(_paths)).Read(Id, new LogOptions(tail, false), sink);
        return [.. sink.Written.Select(l => l[2..])];
    }

    [Fact]
    public void Rotation_KeepsMaxFiles_NewestLinesInOrder()
    {
        WriteRotating(new LogConfig(LogConfig.JsonFile, 400, 3), 100);
        var files = Directory.GetFiles(_paths.ContainerDirectory(Id)).Select(Path.GetFileName).Order().ToList();
        Assert.Equal([Id + "-json.log", Id + "-json.log.1", Id + "-json.log.2"], files);
        Assert.All(files, f => Assert.True(new FileInfo(Path.Combine(_paths.ContainerDirectory(Id), f!)).Length < 500));

        var all = ReadRotated(null);
        Assert.Equal("line100", all[^1]);
        var first = int.Parse(all[0]["line".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(first > 1);
        Assert.Equal(Enumerable.Range(first, 101 - first).Select(i => $"line{i}"), all);

        // Tails that end inside the current file, span two files, and ask for more than is kept.
        Assert.Equal(["line100"], ReadRotated(1));
        Assert.Equal(Enumerable.Range(91, 10).Select(i => $"line{i}"), ReadRotated(10));
        Assert.Equal(all, ReadRotated(1000));
        Assert.Empty(ReadRotated(0));
    }

    [Fact]
    public void Rotation_MaxFileOne_Truncates()
    {
        WriteRotating(new LogConfig(LogConfig.JsonFile, 400, 1), 50);
        Assert.Single(Directory.GetFiles(_paths.ContainerDirectory(Id)));
        Assert.Equal("line50", ReadRotated(1)[0]);
        Assert.True(new FileInfo(LogPath).Length < 500);
    }

    [Fact]
    public void Rotation_NoMaxSize_NeverRotates_AndNoneWritesNothing()
    {
        WriteRotating(LogConfig.Default, 200);
        Assert.Single(Directory.GetFiles(_paths.ContainerDirectory(Id)));
        Assert.Equal(200, ReadRotated(null).Count);
        File.Delete(LogPath);
        WriteRotating(new LogConfig(LogConfig.None, -1, 1), 10);
        Assert.Empty(Directory.GetFiles(_paths.ContainerDirectory(Id)));
    }

    [Fact]
    public void Rotation_Compressed_GzipsRotatedFiles_AndReadsThem()
    {
        WriteRotating(new LogConfig(LogConfig.JsonFile, 400, 3, Compress: true), 100);
        var files = Directory.GetFiles(_paths.ContainerDirectory(Id)).Select(Path.GetFileName).Order().ToList();
        Assert.Equal([Id + "-json.log", Id + "-json.log.1.gz", Id + "-json.log.2.gz"], files);

        var all = ReadRotated(null);
        Assert.Equal("line100", all[^1]);
        var first = int.Parse(all[0]["line".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Enumerable.Range(first, 101 - first).Select(i => $"line{i}"), all);
        Assert.True(all.Count > 8, "the compressed files were not read");
        Assert.Equal(Enumerable.Range(91, 10).Select(i => $"line{i}"), ReadRotated(10));
        Assert.Equal(all, ReadRotated(1000));
    }
}
