using System.Text;
using Anchor.Engine.Logs;
using Anchor.Engine.Monitor;

namespace Anchor.Engine.Tests.Monitor;

public sealed class JsonLogWriterTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"anchor-logwriter-{Guid.NewGuid():N}.log");

    public void Dispose() => File.Delete(_path);

    /// <summary>Each entry of the file as "O text" / "E text".</summary>
    private List<string> Entries()
    {
        var decoder = new JsonLogDecoder();
        var entries = new List<string>();
        var bytes = File.ReadAllBytes(_path);
        Assert.Equal((byte)'\n', bytes[^1]);
        var start = 0;
        for (var end = Array.IndexOf(bytes, (byte)'\n'); end >= 0; start = end + 1, end = Array.IndexOf(bytes, (byte)'\n', start))
        {
            var line = bytes[start..end];
            Assert.True(decoder.TryDecode(line, out var stderr, out var time, out var text), Encoding.UTF8.GetString(line));
            Assert.Equal(28, time.Length); // 2006-01-02T15:04:05.0000000Z
            entries.Add((stderr ? "E " : "O ") + Encoding.UTF8.GetString(text));
        }

        return entries;
    }

    [Fact]
    public void Append_LinesSplitAcrossChunks_AreWrittenWhole_PerStream()
    {
        using (var writer = new JsonLogWriter(_path))
        {
            writer.Append("stdout", "a"u8);
            writer.Append("stdout", "b\nc"u8);
            writer.Append("stderr", "x\ny"u8);
            writer.Append("stdout", "\n"u8);
            writer.Append("stdout", "tail"u8);
            writer.Flush("stdout");
            writer.Flush("stderr");
        }

        Assert.Equal(["O ab\n", "E x\n", "O c\n", "O tail", "E y"], Entries());
    }

    [Fact]
    public void Append_ChunksLargerThanTheBuffer_AndALongLine_LoseNothing()
    {
        var many = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            many.Append(i).Append('\n');
        }

        var longLine = new string('z', 200_000) + "\n";
        using (var writer = new JsonLogWriter(_path))
        {
            writer.Append("stdout", Encoding.UTF8.GetBytes(many.ToString()));
            writer.Append("stderr", Encoding.UTF8.GetBytes(longLine));
        }

        var entries = Entries();
        Assert.Equal(20_001, entries.Count);
        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => $"O {i}\n"), entries.Take(20_000));
        Assert.Equal("E " + longLine, entries[^1]);
    }
}
