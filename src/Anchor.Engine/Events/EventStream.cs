using Anchor.Linux;

namespace Anchor.Engine.Events;

/// <summary>
/// `anchor events`: what docker's daemon does for GET /events (moby daemon/events.go
/// SubscribeTopic and the router's streaming loop). Without --since and --until only new events
/// are shown, followed until interrupted; with either, the journal's past events from since (every
/// one when since is not given) up to until, then, while until is unset or still ahead, new ones.
/// The journal is polled every 100 ms.
/// </summary>
public sealed class EventStream(EventJournal journal)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <param name="since">Nanoseconds since the epoch, inclusive; null for none.</param>
    /// <param name="until">Nanoseconds since the epoch, inclusive; null to follow for ever.</param>
    /// <param name="token">Ends the stream early (the API server's client went away).</param>
    public void Run(long? since, long? until, EventFilter filter, Action<EngineEvent> write, CancellationToken token = default)
    {
        using var reader = since is null && until is null ? EventReader.FromEnd(journal) : EventReader.FromStart(journal);
        while (true)
        {
            if (until is { } end && EventJournal.Now() > end)
            {
                // Every event stamped up to until has been appended, or is being appended now
                // under the journal's lock: one last read while holding it shared sees them all.
                using (LockShared())
                {
                    Deliver(reader.Read(), since, until, filter, write);
                }

                return;
            }

            Deliver(reader.Read(), since, until, filter, write);
            if (token.WaitHandle.WaitOne(Poll))
            {
                return;
            }
        }
    }

    private FileLock? LockShared() => Directory.Exists(journal.Directory) ? FileLock.Shared(journal.LockPath) : null;

    private static void Deliver(List<EngineEvent> events, long? since, long? until, EventFilter filter, Action<EngineEvent> write)
    {
        foreach (var e in events)
        {
            if ((since is null || e.TimeNano >= since) && (until is null || e.TimeNano <= until) && filter.Matches(e))
            {
                write(e);
            }
        }
    }
}
