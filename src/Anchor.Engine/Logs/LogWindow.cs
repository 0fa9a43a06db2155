namespace Anchor.Engine.Logs;

/// <summary>
/// --since and --until applied as docker's log forwarder applies them (moby
/// daemon/logger/loggerutils/logfile.go, forwarder.Do): lines stamped before since are skipped
/// until the first one at or after it, and from then on since is no longer checked (stamps need not
/// be monotonic, a later line stamped earlier still shows); the first line stamped after until ends
/// the output, following included. Both bounds are inclusive.
/// </summary>
internal sealed class LogWindow(Int128? since, Int128? until)
{
    private Int128? _since = since;

    public Int128? Until => until;

    /// <summary>Whether lines need their time at all.</summary>
    public bool Active => _since is not null || until is not null;

    public LogVerdict Check(Int128 time)
    {
        if (_since is { } s)
        {
            if (time < s)
            {
                return LogVerdict.Skip;
            }

            _since = null;
        }

        return until is { } u && time > u ? LogVerdict.Stop : LogVerdict.Show;
    }
}
