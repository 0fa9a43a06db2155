using System.Text;
using Anchor.Engine.Logs;

namespace Anchor.Engine.Tests.Logs;

/// <summary>The backward scan behind <c>logs --tail N</c>: lines counted by '\n' from the end, block by block.</summary>
public sealed class JsonLogTailTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "anchor-tail-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_path);

    /// <summary>The text of the last <paramref name="count"/> lines, scanning with blocks of <paramref name="block"/> bytes.</summary>
    private string Tail(string content, int count, int block)
    {
        File.WriteAllText(_path, content);
        using var file = File.OpenHandle(_path);
        var size = RandomAccess.GetLength(file);
        var start = JsonLogTail.StartOfLast(file, size, count, new byte[block]);
        return content[(int)start..];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(65536)]
    public void StartOfLast_CountsLinesAcrossBlockBoundaries(int block)
    {
        var content = string.Concat(Enumerable.Range(1, 20).Select(i => $"line{i}\n"));
        Assert.Equal("line20\n", Tail(content, 1, block));
        Assert.Equal("line18\nline19\nline20\n", Tail(content, 3, block));
        Assert.Equal(content, Tail(content, 20, block));
        Assert.Equal(content, Tail(content, 1000, block));
        Assert.Equal("", Tail(content, 0, block));
    }

    [Fact]
    public void StartOfLast_LinesLongerThanABlock()
    {
        var longLine = new string('x', 5000) + "\n";
        var content = "first\n" + longLine + longLine.Replace('x', 'y') + "last\n";
        Assert.Equal("last\n", Tail(content, 1, 16));
        Assert.Equal(longLine.Replace('x', 'y') + "last\n", Tail(content, 2, 16));
        Assert.Equal(content[6..], Tail(content, 3, 100));
        Assert.Equal(content, Tail(content, 4, 4096));
    }

    [Fact]
    public void StartOfLast_MissingFinalNewline_TheUnterminatedLineIsNotCounted()
    {
        // Bytes after the last '\n' are a line still being written: the tail is of complete lines
        // and still starts where they start (the cursor then stops before the partial one).
        var content = "a\nb\nc\npartial-without-newline";
        Assert.Equal("c\npartial-without-newline", Tail(content, 1, 4));
        Assert.Equal("b\nc\npartial-without-newline", Tail(content, 2, 4));
        Assert.Equal("partial-without-newline", Tail(content, 0, 4));
        Assert.Equal("only-partial", Tail("only-partial", 1, 4));
    }

    [Fact]
    public void StartOfLast_CrLfIsNotSpecial()
    {
        // '\r' belongs to the line; only '\n' ends one.
        var content = "one\r\ntwo\r\nthree\rstill-three\n";
        Assert.Equal("three\rstill-three\n", Tail(content, 1, 3));
        Assert.Equal("two\r\nthree\rstill-three\n", Tail(content, 2, 3));
    }

    [Fact]
    public void StartOfLast_EmptyFile_IsZero()
    {
        Assert.Equal("", Tail("", 5, 8));
    }

    [Fact]
    public void StartOfLast_ReadsOnlyTheTailOfALargeFile()
    {
        // 64 MiB of lines; the last one is found by reading one block: no more than a few ms of I/O.
        using (var writer = new FileStream(_path, FileMode.Create))
        {
            var line = Encoding.ASCII.GetBytes(new string('x', 1023) + "\n");
            for (var i = 0; i < 64 * 1024; i++)
            {
                writer.Write(line);
            }

            writer.Write("last\n"u8);
        }

        using var file = File.OpenHandle(_path);
        var size = RandomAccess.GetLength(file);
        var block = new byte[4096];
        Assert.Equal(size - 5, JsonLogTail.StartOfLast(file, size, 1, block));
        Assert.Equal(size - 5 - 1024, JsonLogTail.StartOfLast(file, size, 2, block));
    }
}
