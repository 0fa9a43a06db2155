namespace Anchor.Engine.Logs;

/// <summary>Moves lines from the cursor through the window to the sink.</summary>
internal sealed class LogPump(JsonLogCursor cursor, LogWindow window, ILogSink sink)
{
    private readonly JsonLogDecoder _decoder = new();

    /// <summary>Every complete line up to <paramref name="limit"/>: whether there was any, and whether --until ended the output.</summary>
    public (bool Any, bool Ended) Run(long limit)
    {
        var any = false;
        while (cursor.TryReadLine(limit, out var line))
        {
            any = true;
            if (!_decoder.TryDecode(line, out var stderr, out var time, out var text))
            {
                continue;
            }

            if (window.Active)
            {
                // A time that does not parse sorts first: before any --since, within any --until.
                var stamp = GoTimeLayout.Rfc3339Nano.TryParse(time, TimeSpan.Zero, out var t, out _) ? t : Int128.MinValue;
                var verdict = window.Check(stamp);
                if (verdict == LogVerdict.Skip)
                {
                    continue;
                }

                if (verdict == LogVerdict.Stop)
                {
                    return (any, true);
                }
            }

            sink.Write(stderr, time, text);
        }

        return (any, false);
    }
}
