namespace Anchor.Engine.State;

/// <summary>
/// A reaper started ahead of time and waiting on a pipe: disposing this closes our end, and the
/// reaper empties the trash. With no reaper (it could not start), disposing reaps here instead.
/// </summary>
public sealed class PendingReaper(int releaseFd, Trash trash) : IDisposable
{
    private bool _disposed;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (releaseFd >= 0)
        {
            Linux.Interop.LibC.close(releaseFd);
        }
        else
        {
            trash.ReapNow();
        }
    }
}
