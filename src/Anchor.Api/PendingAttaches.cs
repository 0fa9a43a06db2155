using System.Collections.Concurrent;
using Anchor.Linux.Interop;

namespace Anchor.Api;

/// <summary>
/// Attaches made before their container started (docker run: create, attach, wait, start): the
/// monitor's end of each one's socket pair, handed to the monitor by the start that follows
/// (ContainerLifecycle.Start's attachFd, as `start -a` does), so no start-up output is lost.
/// The engine takes one such client per start.
/// </summary>
public sealed class PendingAttaches
{
    private readonly ConcurrentDictionary<string, int> _monitorEnds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _exits = new(StringComparer.Ordinal);

    public bool TryAdd(string containerId, int monitorEnd) => _monitorEnds.TryAdd(containerId, monitorEnd);

    /// <summary>The waiting monitor end for the container's start, or -1.</summary>
    public int Take(string containerId) => _monitorEnds.TryRemove(containerId, out var fd) ? fd : -1;

    /// <summary>The client went away before the start: its monitor end is closed, not handed on.</summary>
    public void Drop(string containerId, int monitorEnd)
    {
        if (_monitorEnds.TryRemove(new KeyValuePair<string, int>(containerId, monitorEnd)))
        {
            LibC.close(monitorEnd);
        }
    }

    /// <summary>
    /// An exit code an attach received (the monitor's exit frame): a --rm container's record is gone
    /// by the time a wait looks, so its wait takes the code from here (docker run --rm).
    /// </summary>
    public void RecordExit(string containerId, int code) => _exits[containerId] = code;

    /// <summary>The exit code an attach saw for the container, waiting a moment for one still in flight.</summary>
    public int? TakeExit(string containerId)
    {
        for (var i = 0; i < 20; i++)
        {
            if (_exits.TryRemove(containerId, out var code))
            {
                return code;
            }

            Thread.Sleep(10);
        }

        return null;
    }
}
