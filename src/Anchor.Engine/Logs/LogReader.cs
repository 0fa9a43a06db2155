using Anchor.Engine.Containers;
using Anchor.Engine.Monitor;
using Microsoft.Win32.SafeHandles;

namespace Anchor.Engine.Logs;

/// <summary>
/// Reads a container's json-file log as <c>docker logs</c> does: the last N lines (found by reading
/// backwards, <see cref="JsonLogTail"/>) or all of them (streamed, <see cref="JsonLogCursor"/>),
/// then, when following, new lines as the monitor appends them until the container has stopped and
/// the file has no more. --since/--until apply to those lines after the tail is taken
/// (<see cref="LogWindow"/>); time and memory depend on what is shown, not on the size of the log.
/// </summary>
public sealed class LogReader(AnchorPaths paths, ContainerStore containers)
{
    private const int BlockSize = 64 * 1024;

    // A line is stamped just before it is appended: following ends this long after --until.
    private static readonly TimeSpan UntilGrace = TimeSpan.FromMilliseconds(100);

    public void Read(string id, LogOptions options, ILogSink sink)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        if (containers.Get(id)?.Options is { } run && !LogConfig.Parse(run.LogDriver, run.LogOpts).Keeps)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "configured logging driver does not support reading", 1);
        }

        var path = ContainerMonitor.LogPath(paths, id);
        if (!File.Exists(path))
        {
            if (!options.Follow)
            {
                return;
            }

            Monitor.JsonLogWriter.Open(path).Dispose();
        }

        var block = new byte[BlockSize];
        var window = new LogWindow(options.Since, options.Until);
        using var files = LogFiles.Open(path);
        var starts = Starts(files.Files, options.Tail, block);
        LogPump? pump = null;
        var ended = false;
        for (var i = 0; i < files.Files.Count && !ended; i++)
        {
            var (file, size) = files.Files[i];
            pump = new LogPump(new JsonLogCursor(file, starts[i], BlockSize), window, sink);
            (_, ended) = pump.Run(size);
        }

        sink.Flush();
        var current = files.Files[^1].File;
        SafeFileHandle? reopened = null;
        try
        {
            while (options.Follow && !ended)
            {
                var stopped = IsStopped(id);
                var pastUntil = options.Until is { } until && UnixNow() > until + (Int128)UntilGrace.Ticks * 100;
                (var any, ended) = pump!.Run(long.MaxValue);
                if (!any && !ended && LogFiles.Replaced(path, current))
                {
                    // Rotated: the writer renamed the file after its last line, so one more read of
                    // it is complete; then the new file from its start.
                    (_, ended) = pump.Run(long.MaxValue);
                    reopened?.Dispose();
                    current = reopened = LogFiles.OpenCurrent(path);
                    pump = new LogPump(new JsonLogCursor(current, 0, BlockSize), window, sink);
                    sink.Flush();
                    continue;
                }

                sink.Flush();
                if (!any && (stopped || pastUntil))
                {
                    return;
                }

                Thread.Sleep(any ? 0 : 50);
            }
        }
        finally
        {
            reopened?.Dispose();
        }
    }

    /// <summary>
    /// Where each file's output starts: with --tail N, the last N lines counted from the newest
    /// file back (older files wholly inside, the first partly, the rest skipped); otherwise 0.
    /// </summary>
    private static long[] Starts(IReadOnlyList<(SafeFileHandle File, long Size)> files, int? tail, byte[] block)
    {
        var starts = new long[files.Count];
        if (tail is not (>= 0 and var remaining))
        {
            return starts;
        }

        for (var i = files.Count - 1; i >= 0; i--)
        {
            var (file, size) = files[i];
            if (remaining == 0 && i < files.Count - 1)
            {
                starts[i] = size;
                continue;
            }

            starts[i] = JsonLogTail.StartOfLast(file, size, remaining, block);
            remaining = starts[i] > 0 ? 0 : Math.Max(0, remaining - JsonLogTail.CountLines(file, size, block));
        }

        return starts;
    }

    private static Int128 UnixNow() => (Int128)(DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    private bool IsStopped(string id) =>
        containers.Get(id) is not { } record
        || ProcessLiveness.Refresh(record).Status is ContainerStatus.Exited or ContainerStatus.Dead or ContainerStatus.Created;
}
