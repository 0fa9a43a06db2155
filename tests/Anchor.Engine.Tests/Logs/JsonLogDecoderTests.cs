using System.Text;
using Anchor.Engine.Logs;

namespace Anchor.Engine.Tests.Logs;

public sealed class JsonLogDecoderTests
{
    private static (bool Ok, bool Stderr, string Time, string Text) Decode(string line)
    {
        var ok = new JsonLogDecoder().TryDecode(Encoding.UTF8.GetBytes(line), out var stderr, out var time, out var text);
        return (ok, stderr, Encoding.UTF8.GetString(time), Encoding.UTF8.GetString(text));
    }

    [Fact]
    public void TryDecode_DockersJsonFileLine()
    {
        Assert.Equal((true, true, "2024-01-02T03:04:05.123456789Z", "a \"quoted\"\ttab\r\n"),
            Decode("{\"log\":\"a \\\"quoted\\\"\\ttab\\r\\n\",\"stream\":\"stderr\",\"time\":\"2024-01-02T03:04:05.123456789Z\"}"));
        Assert.Equal((true, false, "t", "x\n"), Decode("{\"attrs\":{\"k\":[1,2]},\"stream\":\"stdout\",\"log\":\"x\\n\",\"time\":\"t\"}\r"));
    }

    [Fact]
    public void TryDecode_NotAnObject_IsNoEntry()
    {
        Assert.False(Decode("").Ok);
        Assert.False(Decode("{\"log\":\"cut").Ok);
        Assert.False(Decode("[1]").Ok);
    }

    [Fact]
    public void TryDecode_WritersLayout_UnicodeEscapesAndSurrogatePairs()
    {
        // The direct scan's \u escapes, and a surrogate pair it leaves to the full parser.
        Assert.Equal((true, false, "t", "<a&b>\u2028é\n"), Decode("{\"log\":\"\\u003ca\\u0026b\\u003e\\u2028\\u00e9\\n\",\"stream\":\"stdout\",\"time\":\"t\"}"));
        Assert.Equal((true, true, "t", "\U0001F600"), Decode("{\"log\":\"\\ud83d\\ude00\",\"stream\":\"stderr\",\"time\":\"t\"}"));
        // Not the writers' layout after the text: still decoded, by the full parser.
        Assert.Equal((true, false, "t", "x"), Decode("{\"log\":\"x\",\"time\":\"t\",\"stream\":\"stdout\"}"));
        Assert.False(Decode("{\"log\":\"x\",\"stream\":\"stdout\",\"time\":\"t\"").Ok);
    }
}
