using System.Diagnostics;
using System.Text;

namespace Anchor.IntegrationTests;

/// <summary>
/// Kill points: SIGKILL of `anchor run` (foreground with and without --rm, and -d), of `rm -f` and
/// of `build` (its RUN steps' intermediate containers) at random moments spread over each
/// command's whole duration. Whatever moment it was, `ps -a`
/// and a final `rm -f` and `container prune -f` must leave nothing of the store behind: no mount,
/// no container cgroup, no process, no directory without a record, no veth or nft rule.
/// Its own store, so that what it provokes cannot be blamed on (or hide in) the shared one.
/// </summary>
public sealed class SecurityKillTests(AnchorFixture anchor) : IClassFixture<AnchorFixture>
{
    private const int KillsPerKind = 12;
    private const int BridgeKillsPerKind = 3;
    private const int BuildKills = 4;

    private readonly Random _random = new();
    private readonly StringBuilder _log = new();

    [Fact]
    public void SigkillAtAnyMoment_NextCommandsLeaveNothing()
    {
        var leftovers = new SecurityLeftovers(anchor);
        var clock = Stopwatch.StartNew();
        try
        {
            foreach (var network in new[] { "none", "bridge" })
            {
                var kills = network == "none" ? KillsPerKind : BridgeKillsPerKind;
                string[] net = ["--network", network];
                KillRuns("run --rm", kills, leftovers, ["run", "--rm", .. net, AnchorFixture.Image, "sleep", "0.2"]);
                KillRuns("run", kills, leftovers, ["run", .. net, AnchorFixture.Image, "sleep", "0.2"]);
                KillRuns("run -d", kills, leftovers, ["run", "-d", .. net, AnchorFixture.Image, "sleep", "300"]);
                KillRemovals(kills, leftovers, net);
            }

            var context = Path.Combine(anchor.TempDir, "kill-build");
            Directory.CreateDirectory(context);
            File.WriteAllText(Path.Combine(context, "Dockerfile"), "FROM busybox\nRUN sleep 0.2\nRUN echo step > /x\n");
            KillRuns("build", BuildKills, leftovers, ["build", "--no-cache", "-q", context]);

            _log.AppendLine($"{clock.Elapsed.TotalSeconds:0.0} s of kills, {leftovers.Seen} container IDs seen");

            // What the user does next: look, then clean up. ps alone already reclaims what has no
            // record and the containers of killed foreground runs: what still runs then is what
            // ps shows running (run -d containers, whose monitors own them).
            var ps = anchor.Anchor(["ps", "-a", "--no-trunc"]);
            Assert.True(ps.ExitCode == 0 && ps.Err.Length == 0, $"ps -a after the kills: {ps}\n{_log}");
            var problems = new List<string>();
            Check(problems, "directories without a record after ps -a", leftovers.RecordlessDirectories());
            var running = anchor.Anchor(["ps", "-q", "--no-trunc"]).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Check(problems, "processes of containers ps -a does not show running", leftovers.Processes().Where(p => !running.Any(id => leftovers.Belongs(p, id))).ToList());

            var ids = anchor.ContainerIds();
            if (ids.Count > 0)
            {
                var rm = anchor.Anchor(["rm", "-f", .. ids], timeout: TimeSpan.FromSeconds(60));
                Assert.True(rm.ExitCode == 0 && rm.Err.Length == 0, $"rm -f of what ps listed: {rm}\n{_log}");
            }

            var prune = anchor.Anchor(["container", "prune", "-f"]);
            Assert.True(prune.ExitCode == 0 && prune.Err.Length == 0, $"container prune -f: {prune}\n{_log}");

            AssertNothingLeft(leftovers, problems);
        }
        finally
        {
            leftovers.KillProcesses();
        }
    }

    /// <summary>Starts the command <paramref name="kills"/> times and SIGKILLs it after a random delay within its duration.</summary>
    private void KillRuns(string kind, int kills, SecurityLeftovers leftovers, string[] args)
    {
        var duration = Duration(args, leftovers);
        for (var i = 0; i < kills; i++)
        {
            // Half the kills anywhere in the command's life, half in its first 40 ms, where the
            // container is being set up (directory, cgroup, record, spawn, gate, running record).
            var delay = i % 2 == 0 ? _random.NextDouble() * duration.TotalMilliseconds * 1.2 : _random.NextDouble() * 40;
            KillAfter(args, delay);
            leftovers.Observe();
        }

        _log.AppendLine($"{kind} {string.Join(' ', args[^3..])}: {kills} kills within {duration.TotalMilliseconds:0} ms");
    }

    /// <summary>rm -f of a running container, SIGKILLed after a random delay within its duration.</summary>
    private void KillRemovals(int kills, SecurityLeftovers leftovers, string[] net)
    {
        var total = TimeSpan.Zero;
        for (var i = 0; i < kills; i++)
        {
            var id = anchor.RunDetached(Detached.UniqueName("kill-rm"), net, "sleep", "300");
            leftovers.Observe(id);
            if (i == 0)
            {
                // The first removal runs to the end: its duration bounds the others' delays.
                var clock = Stopwatch.StartNew();
                var rm = anchor.Anchor(["rm", "-f", id]);
                total = clock.Elapsed;
                Assert.True(rm.ExitCode == 0, rm.ToString());
                continue;
            }

            KillAfter(["rm", "-f", id], _random.NextDouble() * total.TotalMilliseconds * 1.2);
            leftovers.Observe();
        }

        _log.AppendLine($"rm -f {string.Join(' ', net)}: {kills - 1} kills within {total.TotalMilliseconds:0} ms");
    }

    /// <summary>How long the command takes when nobody kills it (the longer of two runs).</summary>
    private TimeSpan Duration(string[] args, SecurityLeftovers leftovers)
    {
        var longest = TimeSpan.Zero;
        for (var i = 0; i < 2; i++)
        {
            var clock = Stopwatch.StartNew();
            var result = anchor.Anchor(args);
            var elapsed = clock.Elapsed;
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: {result}");
            leftovers.Observe(result.Out.Trim());
            leftovers.Observe();
            longest = elapsed > longest ? elapsed : longest;
        }

        return longest;
    }

    private void KillAfter(string[] args, double milliseconds)
    {
        using var process = ProcessRunner.Start(anchor.Bin, anchor.StoreArgs.Concat(args));
        process.StandardInput.Close();
        if (milliseconds >= 1)
        {
            Thread.Sleep(TimeSpan.FromMilliseconds(milliseconds));
        }

        try
        {
            process.Kill(); // SIGKILL, the CLI alone: what it started lives on
        }
        catch (InvalidOperationException)
        {
            // It had finished already.
        }

        Assert.True(process.WaitForExit(10_000), $"{string.Join(' ', args)} did not die of SIGKILL");
    }

    private static void Check(List<string> problems, string what, List<string> found)
    {
        if (found.Count > 0)
        {
            problems.Add($"{what}:\n  {string.Join("\n  ", found)}");
        }
    }

    private void AssertNothingLeft(SecurityLeftovers leftovers, List<string> problems)
    {
        void Check(string what, List<string> found) => SecurityKillTests.Check(problems, what, found);

        // Whatever a killed command left is reclaimed by the commands above, not later: no waiting,
        // except for processes that were killed and are leaving their cgroup right now.
        var settle = Stopwatch.StartNew();
        while ((leftovers.Processes().Count > 0 || leftovers.Cgroups().Count > 0) && settle.Elapsed < TimeSpan.FromSeconds(3))
        {
            Thread.Sleep(100);
        }

        Check("mounts of the store", leftovers.Mounts());
        Check("cgroups of the store's containers", leftovers.Cgroups());
        var processes = leftovers.Processes();
        Check("processes of the store", processes);
        Check("container directories after rm -f and prune", leftovers.ContainerDirectories());
        Check("veths of the store", leftovers.Veths());
        Check("nft rules of the store", leftovers.NftRules());
        var gate = processes.Count(leftovers.AtGate);
        Assert.True(
            problems.Count == 0,
            $"left behind ({gate} of {processes.Count} processes blocked at the spawn gate):\n{string.Join('\n', problems)}\n{_log}");
    }
}
