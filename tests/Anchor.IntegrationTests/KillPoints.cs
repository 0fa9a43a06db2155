using System.Diagnostics;

namespace Anchor.IntegrationTests;

/// <summary>
/// The kill-point loop of the Security kill tests: an action is timed once, then attempted with a
/// random delay drawn over that time until it was SIGKILLed midway <see cref="Kills"/> times (an
/// attempt that finished before its delay shrinks the window: reused content makes later runs
/// faster), with a check after every attempt.
/// </summary>
internal sealed class KillPoints(int kills = KillPoints.Kills)
{
    public const int Kills = 10;
    private const int BigBytes = 24 << 20;

    private readonly Random _random = new();

    /// <summary>The delays drawn so far (for failure messages).</summary>
    public List<int> Delays { get; } = [];

    /// <param name="windowMs">How long the action takes when nobody kills it.</param>
    /// <param name="attempt">Runs the action with a kill after the given delay; returns null when it killed it midway, else the time the action took.</param>
    /// <param name="after">Called after every attempt, killed or not (checks, then undo).</param>
    public void Repeat(string what, double windowMs, Func<int, double?> attempt, Action<int> after)
    {
        for (var midway = 0; midway < kills;)
        {
            Assert.True(Delays.Count < kills * 3, $"{what} finished before the kill too often (delays {string.Join(", ", Delays)} ms)");
            var delay = _random.Next((int)windowMs + 1);
            Delays.Add(delay);
            if (attempt(delay) is { } took)
            {
                windowMs = Math.Min(windowMs, took);
            }
            else
            {
                midway++;
            }

            after(delay);
        }
    }

    /// <summary>
    /// Starts the process, SIGKILLs it after <paramref name="delay"/> ms unless it ended first
    /// (then returns how long it took), and waits for it to be gone.
    /// </summary>
    public static double? KillAfter(Process process, int delay, string what)
    {
        var running = Stopwatch.StartNew();
        double? took = null;
        if (process.WaitForExit(delay))
        {
            took = running.Elapsed.TotalMilliseconds;
        }
        else
        {
            try
            {
                process.Kill(); // SIGKILL: no handler, no finally, no cleanup of its own.
            }
            catch (InvalidOperationException)
            {
                // It ended just now.
            }
        }

        Assert.True(process.WaitForExit(10_000), $"{what} did not die");
        return took;
    }

    /// <summary>
    /// `anchor ARGS` with its stdio on /dev/null (exec'd by sh, so the pid is anchor's): what it
    /// leaves behind cannot hold a pipe of the test open.
    /// </summary>
    public static Process StartQuiet(string bin, IEnumerable<string> args)
    {
        var words = string.Join(' ', new[] { bin }.Concat(args).Select(ProcessRunner.ShellQuote));
        var process = ProcessRunner.Start("sh", ["-c", $"exec {words} </dev/null >/dev/null 2>&1"]);
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs it once to its end (exit 0 required) and returns how long it took.</summary>
    public static double Time(Func<ProcessResult> run, string what) => Time(() =>
    {
        var result = run();
        Assert.True(result.ExitCode == 0, $"{what}: {result}");
    });

    /// <summary>Runs it once (it asserts its own success) and returns how long it took.</summary>
    public static double Time(Action run)
    {
        var clock = Stopwatch.StartNew();
        run();
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>DIR/big-rootfs.tar: a rootfs tarball of one file of random bytes (made once).</summary>
    public static string RootfsTar(string dir)
    {
        var tar = Path.Combine(dir, "big-rootfs.tar");
        if (!File.Exists(tar))
        {
            using var output = File.Create(tar);
            using var writer = new System.Formats.Tar.TarWriter(output, System.Formats.Tar.TarEntryFormat.Pax);
            writer.WriteEntry(BigFile(dir), "big.bin");
        }

        return tar;
    }

    /// <summary>DIR/big.bin: tens of MB of random bytes, so that kills land mid-way (made once).</summary>
    public static string BigFile(string dir)
    {
        var file = Path.Combine(dir, "big.bin");
        if (!File.Exists(file))
        {
            var data = new byte[BigBytes];
            Random.Shared.NextBytes(data);
            File.WriteAllBytes(file, data);
        }

        return file;
    }
}
