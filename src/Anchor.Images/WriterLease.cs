using Anchor.Linux;

namespace Anchor.Images;

/// <summary>
/// Held by every command that adds content to the store (pull, load, import, build, commit) for
/// its whole run: a shared flock on <c>ROOT/images/writers.lock</c>. Taking it first removes the
/// temporaries of processes that died (<see cref="StoreSweeper.RemoveDeadTemporaries"/>).
/// Giving it back tries the lock exclusively: when no other writer is alive, nothing can be
/// between writing a blob or a snapshot and recording the image or cache entry that refers to it,
/// so whatever nothing refers to is a killed writer's and is collected
/// (<see cref="StoreSweeper.Collect"/>). While another writer runs, the collection waits for a later command.
/// The kernel drops the flock of a killed process, so a dead writer never blocks a collection.
/// </summary>
public sealed class WriterLease : IDisposable
{
    private readonly ImageStore _store;
    private FileLock? _shared;

    internal WriterLease(ImageStore store)
    {
        _store = store;
        var sweeper = new StoreSweeper(store);
        sweeper.RemoveDeadTemporaries();
        _shared = FileLock.Shared(store.WritersLockPath());
    }

    public void Dispose()
    {
        if (_shared is null)
        {
            return;
        }

        _shared.Dispose();
        _shared = null;
        using var exclusive = FileLock.TryExclusive(_store.WritersLockPath());
        if (exclusive is not null)
        {
            new StoreSweeper(_store).Collect();
        }
    }
}
