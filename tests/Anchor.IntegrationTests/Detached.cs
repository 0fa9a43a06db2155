using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Anchor.IntegrationTests;

/// <summary>
/// Helpers for the tests of detached containers (run -d and the lifecycle verbs): starting one
/// under a unique name, reading its status from ps, finding its processes in /proc, bounded
/// polling, and removing it again.
/// </summary>
public static partial class Detached
{
    /// <summary>A shell loop that keeps a container alive and reacts to signals between two sleeps.</summary>
    public const string Forever = "while true; do sleep 0.1; done";

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// <c>anchor run -d --name NAME OPTIONS... busybox COMMAND...</c>; asserts exit 0 and a full ID
    /// on stdout, and returns the ID.
    /// </summary>
    public static string RunDetached(this AnchorFixture anchor, string name, IEnumerable<string> options, params string[] command)
    {
        var run = anchor.Anchor(new[] { "run", "-d", "--name", name }.Concat(options).Append(AnchorFixture.Image).Concat(command));
        Assert.True(run.ExitCode == 0, $"run -d --name {name} failed: {run}");
        var id = run.Out.Trim();
        Assert.True(FullId().IsMatch(id), $"run -d printed {id} instead of a 64-hex ID: {run}");
        return id;
    }

    /// <summary><c>anchor run -d --name NAME busybox sh -c SCRIPT</c>.</summary>
    public static string ShDetached(this AnchorFixture anchor, string name, string script, params string[] options) =>
        anchor.RunDetached(name, options, "sh", "-c", script);

    /// <summary>Asserts exit 0 of an anchor command and returns its result.</summary>
    public static ProcessResult Ok(this AnchorFixture anchor, params string[] args)
    {
        var result = anchor.Anchor(args);
        Assert.True(result.ExitCode == 0, $"anchor {string.Join(' ', args)} failed: {result}");
        return result;
    }

    /// <summary><c>rm -f</c> of every name given, ignoring failures (for finally blocks).</summary>
    public static void ForceRemove(this AnchorFixture anchor, params string[] names)
    {
        if (names.Length > 0)
        {
            anchor.Anchor(new[] { "rm", "-f" }.Concat(names));
        }
    }

    /// <summary>The STATUS column of the container's line in <c>ps -a --no-trunc</c>, null when ps does not list it.</summary>
    public static string? Status(this AnchorFixture anchor, string id)
    {
        var ps = anchor.Anchor(["ps", "-a", "--no-trunc"]);
        Assert.True(ps.ExitCode == 0, ps.ToString());
        var line = ps.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith(id, StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        // Columns are padded by at least three spaces; PORTS is empty, so STATUS is the fifth cell.
        var cells = Regex.Split(line.TrimEnd(), @"\s{3,}");
        return cells.Length >= 5 ? cells[4] : line;
    }

    /// <summary>Whether <c>ps -q --no-trunc</c> (running containers only) lists the ID.</summary>
    public static bool IsListedAsRunning(this AnchorFixture anchor, string id)
    {
        var ps = anchor.Anchor(["ps", "-q", "--no-trunc"]);
        Assert.True(ps.ExitCode == 0, ps.ToString());
        return ps.Out.Split('\n', StringSplitOptions.TrimEntries).Contains(id);
    }

    /// <summary>The lines of <c>anchor logs</c> (stdout only).</summary>
    public static string[] LogLines(this AnchorFixture anchor, string container)
    {
        var logs = anchor.Anchor(["logs", container]);
        Assert.True(logs.ExitCode == 0, logs.ToString());
        return logs.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Runs SCRIPT detached under a name starting with PREFIX, waits for it to exit, runs the body (name, ID), removes the container.</summary>
    public static void WithExited(this AnchorFixture anchor, string prefix, string script, Action<string, string> body, params string[] options)
    {
        var name = UniqueName(prefix);
        try
        {
            var id = anchor.ShDetached(name, script, options);
            anchor.WaitExit(name);
            body(name, id);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    /// <summary>Runs SCRIPT detached under a name starting with PREFIX, runs the body (name) while it runs, removes the container.</summary>
    public static async Task WithRunning(this AnchorFixture anchor, string prefix, string script, Func<string, Task> body, params string[] options)
    {
        var name = UniqueName(prefix);
        try
        {
            anchor.ShDetached(name, script, options);
            await body(name);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    /// <summary>Starts <c>anchor ARGS</c> (a follower such as <c>logs -f</c>), runs the body with it, kills it if it is still running.</summary>
    public static async Task Following(this AnchorFixture anchor, IEnumerable<string> args, Func<Process, Task> body)
    {
        using var process = ProcessRunner.Start(anchor.Bin, anchor.StoreArgs.Concat(args));
        try
        {
            await body(process);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Waits until the container has exited (<c>anchor wait</c>, bounded) and returns the code it printed.</summary>
    public static int WaitExit(this AnchorFixture anchor, string container, int seconds = 10)
    {
        var wait = anchor.Anchor(["wait", container], timeout: TimeSpan.FromSeconds(seconds));
        Assert.True(wait.ExitCode == 0, $"wait {container} failed: {wait}");
        Assert.True(int.TryParse(wait.Out.Trim(), out var code), $"wait printed no exit code: {wait}");
        return code;
    }

    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static void Eventually(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"not within {timeout.TotalSeconds:0.#} s: {what()}");
            }

            Thread.Sleep(100);
        }
    }

    /// <summary>Host PIDs of the processes whose command line contains <paramref name="marker"/> (not our own helpers).</summary>
    public static List<int> PidsWithCmdline(string marker, Func<string[], bool>? filter = null)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            string[] argv;
            try
            {
                argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (argv.Any(a => a.Contains(marker, StringComparison.Ordinal)) && (filter?.Invoke(argv) ?? true))
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    /// <summary>The host PIDs of the container's processes found by a marker in their command line (the monitor excluded).</summary>
    public static List<int> ContainerPids(string marker) => PidsWithCmdline(marker, argv => !IsMonitor(argv));

    /// <summary>The monitor process(es) of the container: <c>anchor monitor ROOT RUNROOT ID FD</c>.</summary>
    public static List<int> MonitorPids(string id) => PidsWithCmdline(id, IsMonitor);

    private static bool IsMonitor(string[] argv) => argv.Length > 1 && argv[1] == "monitor";

    /// <summary>Whether a host process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state != 'Z' && state != 'X';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Mountinfo lines of this process that mention the container's ID.</summary>
    public static List<string> MountsOf(string id) =>
        File.ReadAllLines("/proc/self/mountinfo").Where(l => l.Contains(id, StringComparison.Ordinal)).ToList();

    /// <summary>The cgroup directories that exist for the container (v1: one per controller; v2: one).</summary>
    public static List<string> CgroupsOf(string id) =>
        AnchorFixture.CgroupChildren().Where(d => Path.GetFileName(d).Contains(id[..12], StringComparison.Ordinal)).ToList();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    public static partial Regex FullId();
}
