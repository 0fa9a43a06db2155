using System.Globalization;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Events;

/// <summary>
/// The event journal, ROOT/events: there is no daemon to hold docker's event buffer, so every
/// anchor process that does something appends its events here and `anchor events` follows the
/// files. Segments are numbered files (<c>000000000001.log</c> …, 0600 in a 0700 directory: events
/// name containers, images and labels). An append takes <c>ROOT/events/lock</c> (flock), so the
/// journal's order is the order of the appends and a segment is complete once a later one exists;
/// each record goes in one O_APPEND write(2) (<see cref="EventCodec.MaxRecordBytes"/> at most), so a
/// writer killed at any moment leaves at most one torn record at the end, which readers skip.
/// When the newest segment would pass <see cref="SegmentBytes"/>, the next one is begun and the
/// older ones go, except the one before: the journal holds at most two segments.
/// </summary>
public sealed class EventJournal(string directory)
{
    private const string Extension = ".log";
    private const int DefaultSegmentBytes = 1 << 20;

    public EventJournal(AnchorPaths paths)
        : this(DirectoryOf(paths.Root))
    {
    }

    public static string DirectoryOf(string root) => Path.Combine(root, "events");

    public string Directory { get; } = directory;

    /// <summary>Largest segment: 1 MiB, or ANCHOR_EVENTS_SEGMENT_BYTES (tests of the bound).</summary>
    public static long SegmentBytes { get; } =
        long.TryParse(Environment.GetEnvironmentVariable("ANCHOR_EVENTS_SEGMENT_BYTES"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DefaultSegmentBytes;

    public string LockPath => Path.Combine(Directory, "lock");

    public string SegmentPath(long number) => Path.Combine(Directory, number.ToString("D12", CultureInfo.InvariantCulture) + Extension);

    /// <summary>The segments' numbers, oldest first.</summary>
    public IReadOnlyList<long> Segments()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var numbers = new List<long>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.Length == 12 && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                numbers.Add(number);
            }
        }

        numbers.Sort();
        return numbers;
    }

    /// <summary>Appends the events in order, stamped now (under the lock: the journal's order is time order).</summary>
    public void Append(params ReadOnlySpan<EngineEvent> events)
    {
        PrivateDirectory.Create(Directory);
        using var held = FileLock.Exclusive(LockPath);
        var segments = Segments();
        var current = segments.Count > 0 ? segments[^1] : 1;
        var fd = OpenAppend(current);
        try
        {
            foreach (var e in events)
            {
                var record = EventCodec.Encode(e with { TimeNano = Now() });
                var size = LibC.lseek(fd, 0, LibC.SEEK_END);
                if (size > 0 && size + record.Length > SegmentBytes)
                {
                    LibC.close(fd);
                    fd = -1;
                    current++;
                    fd = OpenAppend(current);
                    Prune(current);
                }

                Sys.WriteAll(fd, record);
            }
        }
        finally
        {
            if (fd >= 0)
            {
                LibC.close(fd);
            }
        }
    }

    /// <summary>Nanoseconds since the Unix epoch, the clock docker's timeNano uses.</summary>
    public static long Now() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    private int OpenAppend(long number)
    {
        var path = SegmentPath(number);
        var fd = LibC.open(path, LibC.O_WRONLY | LibC.O_APPEND | LibC.O_CREAT | LibC.O_CLOEXEC, 0x180 /* 0600 */);
        Sys.Check(fd, "open", path);
        return fd;
    }

    /// <summary>Every segment older than the one before <paramref name="current"/> goes (a killed rotation's leftovers too).</summary>
    private void Prune(long current)
    {
        foreach (var number in Segments())
        {
            if (number < current - 1)
            {
                File.Delete(SegmentPath(number));
            }
        }
    }
}
