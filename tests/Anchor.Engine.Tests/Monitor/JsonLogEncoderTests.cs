using System.Text;
using Anchor.Engine.Logs;
using Anchor.Engine.Monitor;

namespace Anchor.Engine.Tests.Monitor;

public sealed class JsonLogEncoderTests
{
    private static string Encode(byte[] text, bool stderr = false)
    {
        var buffer = new byte[JsonLogEncoder.MaxLength(text.Length, 1)];
        var length = JsonLogEncoder.Encode(buffer, text, stderr, "t"u8);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    [Fact]
    public void Encode_EscapesAsDockersJsonFileDriver()
    {
        Assert.Equal("{\"log\":\"plain text\\n\",\"stream\":\"stdout\",\"time\":\"t\"}\n", Encode("plain text\n"u8.ToArray()));
        Assert.Equal("{\"log\":\"\\\"q\\\" \\\\ \\t\\r\\u0001 \\u003c\\u003e\\u0026 é \\u2028\\n\",\"stream\":\"stderr\",\"time\":\"t\"}\n",
            Encode(Encoding.UTF8.GetBytes("\"q\" \\ \t\r\u0001 <>& é \u2028\n"), stderr: true));
        // Bytes that are not UTF-8 become U+FFFD, as Go's encoding/json writes them.
        Assert.Equal("{\"log\":\"a\\ufffdb\",\"stream\":\"stdout\",\"time\":\"t\"}\n", Encode([(byte)'a', 0xFF, (byte)'b']));
    }

    [Fact]
    public void Encode_WorstCase_FitsMaxLength_AndDecodesBack()
    {
        var text = new byte[300];
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = (byte)(i % 0x20);
        }

        var line = Encoding.UTF8.GetBytes(Encode(text).TrimEnd('\n'));
        Assert.True(new JsonLogDecoder().TryDecode(line, out var stderr, out var time, out var decoded));
        Assert.False(stderr);
        Assert.Equal("t", Encoding.UTF8.GetString(time));
        Assert.Equal(text, decoded.ToArray());
    }
}
