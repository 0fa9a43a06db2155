namespace Anchor.Engine.Events;

/// <summary>
/// Splits journal bytes into records (<see cref="EventCodec"/>'s framing). A record is RS … LF;
/// bytes before the first RS and a record cut short (no LF before the next RS: its writer was
/// killed in the middle of the write) are skipped. A record at the very end without its LF yet is
/// either being written now or torn: it is left for the next read unless <c>final</c> says no more
/// bytes will come.
/// </summary>
public static class EventScan
{
    /// <summary>The complete, valid records in <paramref name="data"/> and how many bytes were used (the rest waits for more).</summary>
    public static (List<EngineEvent> Events, int Consumed, int Skipped) Scan(ReadOnlySpan<byte> data, bool final)
    {
        var events = new List<EngineEvent>();
        var skipped = 0;
        var start = data.IndexOf(EventCodec.RecordSeparator);
        if (start < 0)
        {
            // Nothing but bytes no record owns (or nothing at all): none of it can become a record.
            return (events, data.Length, data.Length > 0 ? 1 : 0);
        }

        if (start > 0)
        {
            skipped++;
        }

        while (start < data.Length)
        {
            var rest = data[(start + 1)..];
            var next = rest.IndexOf(EventCodec.RecordSeparator);
            var body = next < 0 ? rest : rest[..next];
            var complete = body.Length > 0 && body[^1] == EventCodec.LineFeed;
            if (next < 0 && !complete && !final)
            {
                return (events, start, skipped);
            }

            if (complete && EventCodec.Decode(body[..^1]) is { } e)
            {
                events.Add(e);
            }
            else
            {
                skipped++;
            }

            start = next < 0 ? data.Length : start + 1 + next;
        }

        return (events, data.Length, skipped);
    }
}
