using System.Runtime.ExceptionServices;

namespace Anchor.Linux;

/// <summary>
/// One piece of work on a <see cref="NativeThread"/> that the caller waits for later, getting its
/// exception if it failed: `anchor run` records a container as running while the container
/// already runs, instead of before.
/// </summary>
public sealed class BackgroundWork
{
    private readonly object _gate = new();
    private bool _done;
    private ExceptionDispatchInfo? _failure;

    private BackgroundWork()
    {
    }

    public static BackgroundWork Start(Action work, string name)
    {
        ArgumentNullException.ThrowIfNull(work);
        var background = new BackgroundWork();
        NativeThread.Start(() =>
        {
            try
            {
                work();
            }
            catch (Exception e)
            {
                background._failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                lock (background._gate)
                {
                    background._done = true;
                    Monitor.PulseAll(background._gate);
                }
            }
        }, name);
        return background;
    }

    /// <summary>Waits for the work; throws what it failed with.</summary>
    public void Wait()
    {
        WaitQuietly();
        _failure?.Throw();
    }

    /// <summary>Waits for the work, whatever its outcome (undo paths).</summary>
    public void WaitQuietly()
    {
        lock (_gate)
        {
            while (!_done)
            {
                Monitor.Wait(_gate);
            }
        }
    }
}
