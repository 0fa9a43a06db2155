using Anchor.Engine.Attach;

namespace Anchor.Engine.Tests;

public sealed class DetachKeysTests
{
    [Theory]
    [InlineData("ctrl-p,ctrl-q", new byte[] { 0x10, 0x11 })]
    [InlineData("a", new byte[] { (byte)'a' })]
    [InlineData("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_", new byte[] { 0, 27, 28, 29, 30, 31 })]
    public void Parse_DockerSyntax_GivesTheBytes(string keys, byte[] expected) =>
        Assert.Equal(expected, DetachKeys.Parse(keys));

    [Theory]
    [InlineData("ctrl-1")]
    [InlineData("alt-p")]
    [InlineData("ab")]
    public void Parse_Invalid_IsDockersError(string keys)
    {
        var e = Assert.Throws<EngineException>(() => DetachKeys.Parse(keys));
        Assert.Equal($"Invalid detach keys ({keys}) provided", e.Message);
    }

    [Fact]
    public void Feed_SequenceAcrossReads_Detaches()
    {
        var matcher = new DetachKeyMatcher([0x10, 0x11]);
        Assert.Equal("ab"u8.ToArray(), matcher.Feed("ab\x10"u8, out var first));
        Assert.False(first);
        Assert.Empty(matcher.Feed("\x11tail"u8, out var second));
        Assert.True(second);
    }

    [Fact]
    public void Feed_BrokenSequence_PassesTheHeldBytesOn()
    {
        var matcher = new DetachKeyMatcher([0x10, 0x11]);
        Assert.Equal("x\x10y"u8.ToArray(), matcher.Feed("x\x10y"u8, out var detached));
        Assert.False(detached);
        // A repeated first key keeps one held back: ctrl-p ctrl-p ctrl-q still detaches.
        Assert.Equal("\x10"u8.ToArray(), matcher.Feed("\x10\x10\x11"u8, out detached));
        Assert.True(detached);
    }

    [Fact]
    public void Feed_NoKeys_ForwardsEverything()
    {
        Assert.Equal("\x10\x11"u8.ToArray(), new DetachKeyMatcher([]).Feed("\x10\x11"u8, out var detached));
        Assert.False(detached);
    }
}
