using System.Text;
using Anchor.Engine.Events;

namespace Anchor.Engine.Tests.Events;

/// <summary>The journal's record: RS, docker's events.Message JSON on one line, LF.</summary>
public sealed class EventCodecTests
{
    private static EngineEvent Start(long nanos = 1765119845123456789) =>
        new(EngineEvent.ContainerType, "start", "abc123", new Dictionary<string, string> { ["name"] = "web", ["image"] = "busybox" }, nanos);

    [Fact]
    public void Encode_ContainerEvent_IsOneFramedLineInDockersShape()
    {
        var record = EventCodec.Encode(Start());

        Assert.Equal(EventCodec.RecordSeparator, record[0]);
        Assert.Equal(EventCodec.LineFeed, record[^1]);
        Assert.Equal(1, record.Count(b => b == EventCodec.LineFeed));
        Assert.Equal(
            "{\"status\":\"start\",\"id\":\"abc123\",\"from\":\"busybox\",\"Type\":\"container\",\"Action\":\"start\","
            + "\"Actor\":{\"ID\":\"abc123\",\"Attributes\":{\"image\":\"busybox\",\"name\":\"web\"}},"
            + "\"scope\":\"local\",\"time\":1765119845,\"timeNano\":1765119845123456789}",
            Encoding.UTF8.GetString(record, 1, record.Length - 2));
    }

    [Fact]
    public void ToJson_NetworkEvent_HasNoLegacyFields()
    {
        var json = EventCodec.ToJson(new EngineEvent(EngineEvent.NetworkType, "create", "n1", new Dictionary<string, string> { ["name"] = "net" }, 5));

        Assert.StartsWith("{\"Type\":\"network\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("status", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_OfEncode_GivesTheEventBack()
    {
        var record = EventCodec.Encode(Start() with { Attributes = new Dictionary<string, string> { ["label\nwith"] = "line\u001e\"breaks\"" } });

        var decoded = EventCodec.Decode(record.AsSpan(1, record.Length - 2));

        Assert.NotNull(decoded);
        Assert.Equal("start", decoded.Action);
        Assert.Equal(1765119845123456789, decoded.TimeNano);
        Assert.Equal("line\u001e\"breaks\"", decoded.Attributes["label\nwith"]);
        // Control characters are escaped: the framing bytes appear only as the frame.
        Assert.Equal(1, record.Count(b => b == EventCodec.RecordSeparator));
    }

    [Fact]
    public void Encode_HugeAttributes_StaysWithinTheRecordBound()
    {
        var attributes = Enumerable.Range(0, 100).ToDictionary(i => $"label{i}", _ => new string('x', 5000));
        attributes["name"] = "web";

        var record = EventCodec.Encode(Start() with { Attributes = attributes });

        Assert.True(record.Length <= EventCodec.MaxRecordBytes);
        Assert.Equal("web", EventCodec.Decode(record.AsSpan(1, record.Length - 2))!.Attributes["name"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"Type\":\"container\"")]
    [InlineData("[1,2]")]
    [InlineData("{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{}}")]
    public void Decode_NotARecord_IsNull(string json) => Assert.Null(EventCodec.Decode(Encoding.UTF8.GetBytes(json)));
}
