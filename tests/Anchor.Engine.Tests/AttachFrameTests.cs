using Anchor.Engine.Attach;

namespace Anchor.Engine.Tests;

public sealed class AttachFrameTests
{
    [Fact]
    public void Encode_StdoutFrame_HasStdcopyHeader()
    {
        var frame = AttachFrame.Encode(AttachStream.Stdout, "hi\n"u8);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 0, 0, 3, (byte)'h', (byte)'i', (byte)'\n' }, frame);
    }

    [Fact]
    public void Decode_FramesSplitAtEveryByte_ComeOutWhole()
    {
        var bytes = AttachFrame.Encode(AttachStream.Stderr, "error"u8)
            .Concat(AttachFrame.Resize(24, 80))
            .Concat(AttachFrame.Encode(AttachStream.CloseStdin, []))
            .Concat(AttachFrame.Exit(-3))
            .ToArray();
        var decoder = new AttachFrameDecoder();
        var frames = new List<AttachFrame>();
        foreach (var b in bytes)
        {
            decoder.Append([b]);
            while (decoder.TryRead(out var frame))
            {
                frames.Add(frame);
            }
        }

        Assert.Equal([AttachStream.Stderr, AttachStream.Resize, AttachStream.CloseStdin, AttachStream.Exit], frames.Select(f => f.Stream));
        Assert.Equal("error"u8.ToArray(), frames[0].Payload);
        Assert.Equal(((ushort)24, (ushort)80), frames[1].Size);
        Assert.Empty(frames[2].Payload);
        Assert.Equal(-3, frames[3].ExitCode);
    }

    [Fact]
    public void Decode_SeveralFramesInOneRead_AllComeOut()
    {
        var decoder = new AttachFrameDecoder();
        decoder.Append(AttachFrame.Encode(AttachStream.Stdin, "a"u8).Concat(AttachFrame.Encode(AttachStream.Stdin, "bc"u8)).ToArray());
        Assert.True(decoder.TryRead(out var first));
        Assert.True(decoder.TryRead(out var second));
        Assert.False(decoder.TryRead(out _));
        Assert.Equal("a"u8.ToArray(), first.Payload);
        Assert.Equal("bc"u8.ToArray(), second.Payload);
    }

    [Fact]
    public void Decode_IncompletePayload_WaitsForTheRest()
    {
        var decoder = new AttachFrameDecoder();
        var frame = AttachFrame.Encode(AttachStream.Stdout, "hello"u8);
        decoder.Append(frame.AsSpan(0, 10));
        Assert.False(decoder.TryRead(out _));
        decoder.Append(frame.AsSpan(10));
        Assert.True(decoder.TryRead(out var whole));
        Assert.Equal("hello"u8.ToArray(), whole.Payload);
    }

    [Theory]
    [InlineData(new byte[] { 3, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 1, 9, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 0x7F, 0, 0, 0 })]
    public void Decode_BadHeader_IsAProtocolError(byte[] header)
    {
        var decoder = new AttachFrameDecoder();
        decoder.Append(header);
        Assert.Throws<InvalidDataException>(() => decoder.TryRead(out _));
    }
}
