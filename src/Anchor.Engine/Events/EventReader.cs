namespace Anchor.Engine.Events;

/// <summary>
/// Reads the journal forward, from its oldest record or from its end, and on demand picks up what
/// was appended since (tail -F over numbered segments). A segment is finished once a later one
/// exists (appends and the start of a segment happen under the journal's lock), so a record left
/// without its end there is torn and skipped; at the end of the newest segment an unfinished
/// record waits for the next read. A reader that falls more than a segment behind continues with
/// the oldest segment still there (the journal is bounded: events are lost then, never repeated).
/// </summary>
public sealed class EventReader : IDisposable
{
    private readonly EventJournal _journal;
    private long _segment;
    private FileStream? _stream;
    private byte[] _pending = new byte[64 * 1024];
    private int _pendingLength;

    private EventReader(EventJournal journal, long segment, bool atEnd)
    {
        _journal = journal;
        _segment = segment;
        if (atEnd && Open())
        {
            _stream!.Seek(0, SeekOrigin.End);
        }
    }

    /// <summary>Records that were found torn or damaged so far.</summary>
    public int Skipped { get; private set; }

    /// <summary>From the oldest record the journal still has.</summary>
    public static EventReader FromStart(EventJournal journal)
    {
        var segments = journal.Segments();
        return new EventReader(journal, segments.Count > 0 ? segments[0] : 1, atEnd: false);
    }

    /// <summary>From now on: only records appended after this call (a record being written now is skipped).</summary>
    public static EventReader FromEnd(EventJournal journal)
    {
        var segments = journal.Segments();
        return new EventReader(journal, segments.Count > 0 ? segments[^1] : 1, atEnd: true);
    }

    /// <summary>Every complete record appended since the last call, in the journal's order.</summary>
    public List<EngineEvent> Read()
    {
        var events = new List<EngineEvent>();
        while (true)
        {
            // Looked at before reading to the end: if a later segment exists now, every append to
            // this one is finished, and what is unfinished at its end is torn.
            var next = NextSegment();
            if (_stream is not null || Open())
            {
                ReadToEnd();
                var (found, consumed, skipped) = EventScan.Scan(_pending.AsSpan(0, _pendingLength), final: next is not null);
                events.AddRange(found);
                Skipped += skipped;
                _pending.AsSpan(consumed, _pendingLength - consumed).CopyTo(_pending);
                _pendingLength -= consumed;
            }

            if (next is not { } later)
            {
                return events;
            }

            _stream?.Dispose();
            _stream = null;
            _pendingLength = 0;
            _segment = later;
        }
    }

    private long? NextSegment()
    {
        foreach (var number in _journal.Segments())
        {
            if (number > _segment)
            {
                return number;
            }
        }

        return null;
    }

    private bool Open()
    {
        try
        {
            _stream = new FileStream(_journal.SegmentPath(_segment), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    private void ReadToEnd()
    {
        while (true)
        {
            if (_pendingLength == _pending.Length)
            {
                Array.Resize(ref _pending, _pending.Length * 2);
            }

            var n = _stream!.Read(_pending, _pendingLength, _pending.Length - _pendingLength);
            if (n == 0)
            {
                return;
            }

            _pendingLength += n;
        }
    }

    public void Dispose() => _stream?.Dispose();
}
