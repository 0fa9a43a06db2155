using System.Text;
using System.Text.Json;
using Anchor.Engine.Containers;
using Anchor.Engine.Monitor;

namespace Anchor.Engine.Logs;

/// <summary>
/// Reads a container's json-file log: the last N entries, then, when following, new entries as
/// the monitor appends them until the container has stopped and the file has no more.
/// </summary>
public sealed class LogReader(AnchorPaths paths, ContainerStore containers)
{
    public IEnumerable<LogEntry> Read(string id, int? tail, bool follow)
    {
        var path = ContainerMonitor.LogPath(paths, id);
        if (!File.Exists(path))
        {
            if (!follow)
            {
                yield break;
            }

            Monitor.JsonLogWriter.Open(path).Dispose();
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var pending = new StringBuilder();
        var first = new List<LogEntry>();
        foreach (var entry in Drain(file, pending))
        {
            first.Add(entry);
        }

        foreach (var entry in tail is { } n ? first.Skip(Math.Max(0, first.Count - n)) : first)
        {
            yield return entry;
        }

        while (follow)
        {
            var stopped = IsStopped(id);
            var any = false;
            foreach (var entry in Drain(file, pending))
            {
                any = true;
                yield return entry;
            }

            if (stopped && !any)
            {
                yield break;
            }

            Thread.Sleep(any ? 0 : 50);
        }
    }

    private bool IsStopped(string id) =>
        containers.Get(id) is not { } record
        || ProcessLiveness.Refresh(record).Status is ContainerStatus.Exited or ContainerStatus.Dead or ContainerStatus.Created;

    /// <summary>Parses every complete line available now; a partly written last line waits in <paramref name="pending"/>.</summary>
    private static List<LogEntry> Drain(FileStream file, StringBuilder pending)
    {
        var buffer = new byte[64 * 1024];
        int n;
        var entries = new List<LogEntry>();
        while ((n = file.Read(buffer, 0, buffer.Length)) > 0)
        {
            pending.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        var text = pending.ToString();
        var lastNewline = text.LastIndexOf('\n');
        if (lastNewline < 0)
        {
            return entries;
        }

        foreach (var line in text[..lastNewline].Split('\n'))
        {
            if (Parse(line) is { } entry)
            {
                entries.Add(entry);
            }
        }

        pending.Clear().Append(text[(lastNewline + 1)..]);
        return entries;
    }

    private static LogEntry? Parse(string line)
    {
        if (line.Length == 0)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            return new LogEntry(
                root.TryGetProperty("stream", out var s) ? s.GetString() ?? "stdout" : "stdout",
                root.TryGetProperty("time", out var t) ? t.GetString() ?? "" : "",
                root.TryGetProperty("log", out var l) ? l.GetString() ?? "" : "");
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
