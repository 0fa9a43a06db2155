using System.Globalization;
using System.Text;

namespace Anchor.IntegrationTests;

/// <summary>
/// <c>anchor logs</c> of a 200 MB json-file log: --tail reads only the end, and reading everything
/// streams it, so neither time (for --tail) nor memory grows with the log. Measured with
/// /usr/bin/time (elapsed seconds, peak RSS of the anchor process).
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class SecurityLogTailTests(AnchorFixture anchor)
{
    private const long LogBytes = 200L << 20;
    private const int LineCount = 1_900_000; // ~110 bytes a line

    // Generous for a loaded 2-core machine; reading the whole log into memory took ~15 s and ~3 GB.
    private static readonly TimeSpan TailLimit = TimeSpan.FromSeconds(2);
    private const long RssLimitKb = 100 * 1024;

    /// <summary>Replaces the container's log with <see cref="LineCount"/> lines (every tenth on stderr), about 200 MB.</summary>
    private static void WriteLargeLog(string path)
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, 1 << 20);
        for (var i = 0; i < LineCount; i++)
        {
            var stream = i % 10 == 9 ? "stderr" : "stdout";
            var time = start.AddTicks(i * 10_000L).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            file.Write(Encoding.ASCII.GetBytes($"{{\"log\":\"line {i} of a large log, padded to be longer\\n\",\"stream\":\"{stream}\",\"time\":\"{time}\"}}\n"));
        }
    }

    /// <summary>Runs <c>anchor logs ARGS REDIRECTION</c> in sh under /usr/bin/time: (elapsed, peak RSS in KiB, stdout).</summary>
    private (TimeSpan Elapsed, long RssKb, string Out) Measure(string redirection, params string[] args)
    {
        var timeFile = Path.Combine(anchor.TempDir, "time-" + Guid.NewGuid().ToString("N")[..8]);
        var command = string.Join(' ', new[] { "/usr/bin/time", "-f", "'%e %M'", "-o", timeFile, anchor.Bin }
            .Concat(anchor.StoreArgs.Concat(["logs", .. args]).Select(ProcessRunner.ShellQuote))) + redirection;
        var run = ProcessRunner.Run("/bin/sh", ["-c", command], stdin: (string?)null, timeout: TimeSpan.FromSeconds(120));
        Assert.True(run.ExitCode == 0, run.ToString());
        var fields = File.ReadAllLines(timeFile).Last().Split(' ');
        File.Delete(timeFile);
        return (TimeSpan.FromSeconds(double.Parse(fields[0], CultureInfo.InvariantCulture)), long.Parse(fields[1], CultureInfo.InvariantCulture), run.Out);
    }

    [Fact]
    public void Logs_OfA200MBLog_TailIsFastAndEverythingIsStreamedInLittleMemory() => anchor.WithExited("it-logs-large", "echo small", (name, id) =>
    {
        var path = Path.Combine(anchor.Root, "containers", id, id + "-json.log");
        WriteLargeLog(path);
        Assert.True(new FileInfo(path).Length > LogBytes - (20 << 20), $"the log is only {new FileInfo(path).Length} bytes");
        try
        {
            var tail = Measure(" 2>&1", "--tail", "1", name);
            Assert.Equal($"line {LineCount - 1} of a large log, padded to be longer", tail.Out);
            Assert.True(tail.Elapsed < TailLimit, $"logs --tail 1 took {tail.Elapsed.TotalSeconds:0.00} s");
            Assert.True(tail.RssKb < RssLimitKb, $"logs --tail 1 peaked at {tail.RssKb} KiB");

            // The last line is on stderr, the two before on stdout: the order of the log is kept.
            var lastThree = Measure(" 2>&1", "--tail", "3", "--since", "2026-01-01T00:00:00Z", name);
            Assert.Equal(string.Join('\n', Enumerable.Range(LineCount - 3, 3).Select(i => $"line {i} of a large log, padded to be longer")), lastThree.Out);

            var all = Measure(" 2>/dev/null | wc -l", name);
            Assert.Equal((LineCount - (LineCount / 10)).ToString(CultureInfo.InvariantCulture), all.Out.Trim());
            Assert.True(all.RssKb < RssLimitKb, $"logs (everything) peaked at {all.RssKb} KiB");
        }
        finally
        {
            File.Delete(path);
        }
    });
}
