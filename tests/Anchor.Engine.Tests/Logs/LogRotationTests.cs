using System.Text;
using Anchor.Engine.Containers;
using Anchor.Engine.Logs;
using Anchor.Engine.Monitor;

namespace Anchor.Engine.Tests.Logs;

/// <summary>The json-file writer's rotation (max-size, max-file) and the reader across the rotated files.</summary>
public sealed class LogRotationTests : IDisposable
{
    private const string Id = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "anchor-logrotation-" + Guid.NewGuid().ToString("N"));
    private readonly AnchorPaths _paths;

    public LogRotationTests()
    {
        _paths = new AnchorPaths(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        Directory.CreateDirectory(_paths.ContainerDirectory(Id));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class Lines : ILogSink
    {
        public List<string> Written { get; } = [];

        public void Write(bool stderr, ReadOnlySpan<byte> time, ReadOnlySpan<byte> text) => Written.Add(Encoding.UTF8.GetString(text).TrimEnd('\n'));

        public void Flush() { }
    }

    private string LogPath => ContainerMonitor.LogPath(_paths, Id);

    private void WriteLines(LogConfig config, int count)
    {
        using var writer = new JsonLogWriter(LogPath, config);
        for (var i = 1; i <= count; i++)
        {
            writer.Append(i % 2 == 0 ? "stderr" : "stdout", Encoding.UTF8.GetBytes($"line{i}\n"));
        }
    }

    private List<string> Read(int? tail)
    {
        var sink = new Lines();
        new LogReader(_paths, new ContainerStore(_paths)).Read(Id, new LogOptions(tail, false), sink);
        return sink.Written;
    }

    [Fact]
    public void Rotation_KeepsMaxFiles_NewestLinesInOrder()
    {
        WriteLines(new LogConfig(LogConfig.JsonFile, 400, 3), 100);
        var files = Directory.GetFiles(_paths.ContainerDirectory(Id)).Select(Path.GetFileName).Order().ToList();
        Assert.Equal([Id + "-json.log", Id + "-json.log.1", Id + "-json.log.2"], files);
        Assert.All(files, f => Assert.True(new FileInfo(Path.Combine(_paths.ContainerDirectory(Id), f!)).Length < 500));

        var all = Read(null);
        Assert.Equal("line100", all[^1]);
        var first = int.Parse(all[0]["line".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(first > 1);
        Assert.Equal(Enumerable.Range(first, 101 - first).Select(i => $"line{i}"), all);

        // Tails that end inside the current file, span two files, and ask for more than is kept.
        Assert.Equal(["line100"], Read(1));
        Assert.Equal(Enumerable.Range(91, 10).Select(i => $"line{i}"), Read(10));
        Assert.Equal(all, Read(1000));
        Assert.Empty(Read(0));
    }

    [Fact]
    public void MaxFileOne_Truncates()
    {
        WriteLines(new LogConfig(LogConfig.JsonFile, 400, 1), 50);
        Assert.Single(Directory.GetFiles(_paths.ContainerDirectory(Id)));
        Assert.Equal("line50", Read(1)[0]);
        Assert.True(new FileInfo(LogPath).Length < 500);
    }

    [Fact]
    public void NoMaxSize_NeverRotates_AndNoneWritesNothing()
    {
        WriteLines(LogConfig.Default, 200);
        Assert.Single(Directory.GetFiles(_paths.ContainerDirectory(Id)));
        Assert.Equal(200, Read(null).Count);
        File.Delete(LogPath);
        WriteLines(new LogConfig(LogConfig.None, -1, 1), 10);
        Assert.Empty(Directory.GetFiles(_paths.ContainerDirectory(Id)));
    }
}
