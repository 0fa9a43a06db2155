using System.Text;
using Anchor.Cli.Commands;

namespace Anchor.Cli.Tests;

/// <summary>The client side of <c>logs</c>: demultiplexing, order, and docker's fixed-width times.</summary>
public sealed class LogsOutputTests
{
    /// <summary>A stream that records the order of writes across both outputs.</summary>
    private sealed class Recorder(List<string> writes, string name) : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => writes.Add(name + ":" + Encoding.UTF8.GetString(buffer));

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    }

    private static List<string> Print(bool timestamps, params (bool Stderr, string Time, string Text)[] lines)
    {
        var writes = new List<string>();
        var output = new LogsOutput(new Recorder(writes, "out"), new Recorder(writes, "err"), timestamps);
        foreach (var (stderr, time, text) in lines)
        {
            output.Write(stderr, Encoding.UTF8.GetBytes(time), Encoding.UTF8.GetBytes(text));
        }

        output.Flush();
        return writes;
    }

    [Fact]
    public void Write_KeepsTheOrderAcrossStreams_OneWritePerRun()
    {
        var writes = Print(false, (false, "", "a\n"), (false, "", "b\n"), (true, "", "c\n"), (false, "", "d\n"));
        Assert.Equal(["out:a\nb\n", "err:c\n", "out:d\n"], writes);
    }

    [Theory]
    [InlineData("2024-01-02T03:04:05.1234567Z", "2024-01-02T03:04:05.123456700Z")]
    [InlineData("2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000000000Z")]
    [InlineData("2024-01-02T03:04:05.123456789123Z", "2024-01-02T03:04:05.123456789Z")]
    [InlineData("2024-01-02T03:04:05.5+02:00", "2024-01-02T03:04:05.500000000+02:00")]
    [InlineData("garbage", "garbage")]
    public void Write_Timestamps_AreDockersRfc3339NanoFixed(string stored, string printed) =>
        Assert.Equal(["out:" + printed + " x\n"], Print(true, (false, stored, "x\n")));
}
