using System.Text;
using Anchor.Engine.Logs;

namespace Anchor.Engine.Tests.Logs;

/// <summary>The forward line reader: one buffer, complete lines only, lines longer than the buffer.</summary>
public sealed class JsonLogCursorTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "anchor-cursor-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_path);

    private static List<string> Lines(JsonLogCursor cursor, long limit = long.MaxValue)
    {
        var lines = new List<string>();
        while (cursor.TryReadLine(limit, out var line))
        {
            lines.Add(Encoding.UTF8.GetString(line));
        }

        return lines;
    }

    [Fact]
    public void TryReadLine_LinesLongerThanTheBuffer_ComeWhole()
    {
        var big = new string('z', 10_000);
        File.WriteAllText(_path, $"a\n{big}\nb\n");
        using var file = File.OpenHandle(_path);
        Assert.Equal(["a", big, "b"], Lines(new JsonLogCursor(file, 0, 8)));
    }

    [Fact]
    public void TryReadLine_PartialLastLine_WaitsForItsNewline()
    {
        File.WriteAllText(_path, "one\ntw");
        using var file = File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var cursor = new JsonLogCursor(file, 0, 4);
        Assert.Equal(["one"], Lines(cursor));

        // The writer finishes the line (as the monitor's append would): it comes whole.
        File.AppendAllText(_path, "o\nthree\n");
        Assert.Equal(["two", "three"], Lines(cursor));
        Assert.Empty(Lines(cursor));
    }

    [Fact]
    public void TryReadLine_StopsAtTheLimit()
    {
        File.WriteAllText(_path, "1\n2\n3\n");
        using var file = File.OpenHandle(_path);
        var cursor = new JsonLogCursor(file, 2, 64);
        Assert.Equal(["2"], Lines(cursor, 4));
        Assert.Equal(["3"], Lines(cursor));
    }

    [Fact]
    public void TryReadLine_KeepsCarriageReturns()
    {
        File.WriteAllText(_path, "a\r\nb\n");
        using var file = File.OpenHandle(_path);
        Assert.Equal(["a\r", "b"], Lines(new JsonLogCursor(file, 0, 3)));
    }
}
