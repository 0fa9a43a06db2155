using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// Waits for a process that need not be our child to end: a pidfd (pidfd_open(2), Linux 5.3) polls
/// readable when it exits, so the waiter wakes at that moment instead of on its next sleep tick.
/// </summary>
public sealed unsafe class ProcessExitWatch : IDisposable
{
    private int _pidfd;

    /// <summary>Watches <paramref name="pid"/>; when no pidfd can be had, <see cref="Wait"/> just sleeps.</summary>
    public ProcessExitWatch(int pid)
    {
        _pidfd = pid > 0 ? LibC.pidfd_open(pid) : -1;
    }

    /// <summary>Blocks until the process ends or <paramref name="timeout"/> passes.</summary>
    public void Wait(TimeSpan timeout)
    {
        var ms = (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
        if (_pidfd < 0)
        {
            Thread.Sleep(Math.Min(ms, 20));
            return;
        }

        LibC.Pollfd fd = new() { fd = _pidfd, events = LibC.POLLIN };
        if (LibC.poll(&fd, 1, ms) > 0)
        {
            // It has ended: a pidfd stays readable from then on, so later waits (the caller's
            // condition may lag behind the exit, e.g. a record not yet written) sleep instead of spinning.
            Dispose();
        }
    }

    public void Dispose()
    {
        if (_pidfd >= 0)
        {
            LibC.close(_pidfd);
            _pidfd = -1;
        }
    }
}
