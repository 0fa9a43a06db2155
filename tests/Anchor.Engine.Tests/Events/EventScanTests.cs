using Anchor.Engine.Events;

namespace Anchor.Engine.Tests.Events;

/// <summary>Splitting journal bytes into records, with the torn record a killed writer leaves.</summary>
public sealed class EventScanTests
{
    private static byte[] Record(string action, long nanos) =>
        EventCodec.Encode(new EngineEvent(EngineEvent.ContainerType, action, "id", new Dictionary<string, string>(), nanos));

    private static byte[] Join(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    [Fact]
    public void Scan_CompleteRecords_AllFoundAndConsumed()
    {
        var data = Join(Record("create", 1), Record("start", 2));

        var (events, consumed, skipped) = EventScan.Scan(data, final: false);

        Assert.Equal(["create", "start"], events.Select(e => e.Action));
        Assert.Equal(data.Length, consumed);
        Assert.Equal(0, skipped);
    }

    [Fact]
    public void Scan_TornRecordFollowedByAnother_TornSkippedNextKept()
    {
        var torn = Record("die", 2);
        var data = Join(Record("create", 1), torn[..(torn.Length / 2)], Record("destroy", 3));

        var (events, consumed, skipped) = EventScan.Scan(data, final: false);

        Assert.Equal(["create", "destroy"], events.Select(e => e.Action));
        Assert.Equal(data.Length, consumed);
        Assert.Equal(1, skipped);
    }

    [Fact]
    public void Scan_UnfinishedLastRecord_WaitsUnlessFinal()
    {
        var last = Record("start", 2);
        var first = Record("create", 1);
        var data = Join(first, last[..^1]);

        var (events, consumed, _) = EventScan.Scan(data, final: false);
        Assert.Equal(["create"], events.Select(e => e.Action));
        Assert.Equal(first.Length, consumed);

        var (finalEvents, finalConsumed, skipped) = EventScan.Scan(data, final: true);
        Assert.Equal(["create"], finalEvents.Select(e => e.Action));
        Assert.Equal(data.Length, finalConsumed);
        Assert.Equal(1, skipped);
    }

    [Fact]
    public void Scan_UnfinishedRecordCompletedLater_IsFoundOnce()
    {
        var record = Record("start", 2);
        var (none, consumed, _) = EventScan.Scan(record.AsSpan(0, 5), final: false);
        Assert.Empty(none);
        Assert.Equal(0, consumed);

        var (events, all, _) = EventScan.Scan(record, final: false);
        Assert.Single(events);
        Assert.Equal(record.Length, all);
    }

    [Fact]
    public void Scan_GarbageBeforeFirstRecordAndDamagedJson_Skipped()
    {
        var damaged = Join([EventCodec.RecordSeparator], "{not json}\n"u8.ToArray());
        var data = Join("tail of a torn record\n"u8.ToArray(), damaged, Record("kill", 4));

        var (events, _, skipped) = EventScan.Scan(data, final: false);

        Assert.Equal(["kill"], events.Select(e => e.Action));
        Assert.Equal(2, skipped);
    }
}
