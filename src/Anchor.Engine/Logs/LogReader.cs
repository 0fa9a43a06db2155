using Anchor.Engine.Containers;
using Anchor.Engine.Monitor;

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
        var path = ContainerMonitor.LogPath(paths, id);
        if (!File.Exists(path))
        {
            if (!options.Follow)
            {
                return;
            }

            Monitor.JsonLogWriter.Open(path).Dispose();
        }

        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        // The log as it is now; lines appended meanwhile are for following.
        var size = RandomAccess.GetLength(file);
        var start = options.Tail is >= 0 and var n ? JsonLogTail.StartOfLast(file, size, n, new byte[BlockSize]) : 0;
        var pump = new LogPump(new JsonLogCursor(file, start, BlockSize), new LogWindow(options.Since, options.Until), sink);
        var (_, ended) = pump.Run(size);
        sink.Flush();
        while (options.Follow && !ended)
        {
            var stopped = IsStopped(id);
            var pastUntil = options.Until is { } until && UnixNow() > until + (Int128)UntilGrace.Ticks * 100;
            (var any, ended) = pump.Run(long.MaxValue);
            sink.Flush();
            if (!any && (stopped || pastUntil))
            {
                return;
            }

            Thread.Sleep(any ? 0 : 50);
        }
    }

    private static Int128 UnixNow() => (Int128)(DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    private bool IsStopped(string id) =>
        containers.Get(id) is not { } record
        || ProcessLiveness.Refresh(record).Status is ContainerStatus.Exited or ContainerStatus.Dead or ContainerStatus.Created;
}
