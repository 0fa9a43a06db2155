using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Anchor.IntegrationTests;

/// <summary>
/// ANCHOR_TEST_CGWATCH=FILE: a thread that looks at the anchor/ cgroup parents every 100 ms and
/// appends to FILE a line for every container cgroup that appears ("+") or goes ("-") (and "=" for those there before), with the
/// test that was running (the test method that last started a process through
/// <see cref="ProcessRunner"/>, read off its stack), the command it started, and whether the ID
/// has a directory in one of this run's stores. A cgroup left behind then names the test in
/// which it appeared. Off by default: without the variable nothing is started and
/// <see cref="Note"/> returns at once. One watcher per test process, whatever the fixtures.
/// </summary>
internal static class CgroupWatch
{
    private static readonly object Gate = new();
    private static readonly HashSet<string> Stores = new(StringComparer.Ordinal);
    private static readonly string? File = Environment.GetEnvironmentVariable("ANCHOR_TEST_CGWATCH") is { Length: > 0 } f ? f : null;
    private static string _lastTest = "-";
    private static string _lastCommand = "-";
    private static Thread? _thread;

    public static bool Enabled => File is not null;

    /// <summary>Starts the watcher once, and remembers a store root whose container directories identify cgroups.</summary>
    public static void Watch(string storeRoot)
    {
        if (File is null)
        {
            return;
        }

        lock (Gate)
        {
            Stores.Add(storeRoot);
            if (_thread is null)
            {
                _thread = new Thread(Loop) { IsBackground = true, Name = "cgroup-watch" };
                _thread.Start();
            }
        }
    }

    /// <summary>Called by ProcessRunner for every process a test starts.</summary>
    public static void Note(string file, IEnumerable<string> args)
    {
        if (File is null)
        {
            return;
        }

        var test = CurrentTest();
        lock (Gate)
        {
            _lastTest = test ?? _lastTest;
            _lastCommand = ProcessRunner.Describe(file, args);
        }
    }

    private static void Loop()
    {
        var seen = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        var first = true;
        while (true)
        {
            var now = AnchorFixture.CgroupChildren().Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var lines = new List<string>();
            string test, command;
            string[] stores;
            lock (Gate)
            {
                (test, command, stores) = (_lastTest, _lastCommand, [.. Stores]);
            }

            foreach (var id in now.Where(id => !seen.ContainsKey(id)))
            {
                seen[id] = DateTime.UtcNow;
                var store = stores.FirstOrDefault(s => Directory.Exists(Path.Combine(s, "containers", id))) ?? "-";
                lines.Add(first ? $"{Stamp()} = anchor/{id} there before the watch began" : $"{Stamp()} + anchor/{id} test={test} store={store} last={command}");
            }

            foreach (var id in seen.Keys.Where(id => !now.Contains(id)).ToList())
            {
                lines.Add($"{Stamp()} - anchor/{id} after {(DateTime.UtcNow - seen[id]).TotalMilliseconds:0} ms, test={test}");
                seen.Remove(id);
            }

            first = false;
            if (lines.Count > 0)
            {
                try
                {
                    System.IO.File.AppendAllLines(File!, lines);
                }
                catch (IOException)
                {
                    // A watcher never fails a test.
                }
            }

            Thread.Sleep(100);
        }
    }

    private static string Stamp() => DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>The [Fact]/[Theory] method on the calling stack, as Class.Method.</summary>
    private static string? CurrentTest()
    {
        foreach (var frame in new StackTrace().GetFrames())
        {
            var method = frame.GetMethod();
            if (method?.GetCustomAttribute<FactAttribute>() is not null)
            {
                return $"{method.DeclaringType?.Name}.{method.Name}";
            }
        }

        return null;
    }
}
