using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Anchor.IntegrationTests;

/// <summary>
/// Concurrent verbs on one container name: run -d racing rm -f, and run -d interleaved with
/// rename, stop, start and rm -f. Whatever the interleaving: no container runs on without a
/// record, no internal error reaches the user, and every message is one of docker's.
/// </summary>
public sealed partial class SecurityRaceTests(AnchorFixture anchor) : IClassFixture<AnchorFixture>
{
    private readonly ConcurrentBag<(string Command, ProcessResult Result)> _results = [];

    [Fact]
    public async Task RunDetachedRacingRmForce_NothingRunsWithoutARecord_OnlyDockersMessages()
    {
        var leftovers = new SecurityLeftovers(anchor);
        try
        {
            // 20 × (run -d --name nI & rm -f nI after 0-400 ms), four pairs at a time.
            using var slots = new SemaphoreSlim(4);
            var pairs = Enumerable.Range(0, 20).Select(async i =>
            {
                await slots.WaitAsync();
                try
                {
                    var name = $"race-n{i}-{Guid.NewGuid().ToString("N")[..6]}";
                    var run = Command(["run", "-d", "--name", name, "--network", "none", AnchorFixture.Image, "sleep", "300"], 0);
                    var rm = Command(["rm", "-f", name], Random.Shared.Next(0, 400));
                    await Task.WhenAll(run, rm);
                }
                finally
                {
                    slots.Release();
                }
            });
            await Task.WhenAll(pairs);

            // run -d interleaved with rename, stop, start and rm -f of the same (and the new) name.
            for (var round = 0; round < 8; round++)
            {
                var name = $"race-k{round}-{Guid.NewGuid().ToString("N")[..6]}";
                await Task.WhenAll(
                    Command(["run", "-d", "--name", name, "--network", "none", AnchorFixture.Image, "sleep", "300"], 0),
                    Command(["rename", name, name + "-b"], Random.Shared.Next(0, 300)),
                    Command(["stop", "-t", "1", name], Random.Shared.Next(0, 300)),
                    Command(["start", name], Random.Shared.Next(0, 300)),
                    Command(["start", name + "-b"], Random.Shared.Next(0, 300)),
                    Command(["create", "--name", name, "--network", "none", AnchorFixture.Image, "sleep", "300"], Random.Shared.Next(0, 300)),
                    Command(["rm", "-f", name], Random.Shared.Next(0, 300)),
                    Command(["rm", "-f", name + "-b"], Random.Shared.Next(0, 300)));
            }

            foreach (var (_, result) in _results)
            {
                foreach (var line in result.Out.Split('\n').Where(l => Detached.FullId().IsMatch(l.Trim())))
                {
                    leftovers.Observe(line.Trim());
                }
            }

            leftovers.Observe();
            AssertOnlyDockersMessages();
            AssertNothingRunsWithoutARecord(leftovers);
        }
        finally
        {
            var ids = anchor.ContainerIds();
            if (ids.Count > 0)
            {
                anchor.Anchor(["rm", "-f", .. ids], timeout: TimeSpan.FromSeconds(60));
            }

            leftovers.KillProcesses();
        }
    }

    private async Task Command(string[] args, int delayMs)
    {
        await Task.Delay(delayMs);
        var result = await Task.Run(() => anchor.Anchor(args, timeout: TimeSpan.FromSeconds(60)));
        _results.Add((string.Join(' ', args), result));
    }

    private void AssertOnlyDockersMessages()
    {
        var bad = new List<string>();
        foreach (var (command, result) in _results)
        {
            foreach (var line in result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var internalError = line.Contains("Arg_", StringComparison.Ordinal) || line.Contains("IO_", StringComparison.Ordinal)
                    || line.Contains("Exception", StringComparison.Ordinal) || line.Contains("   at ", StringComparison.Ordinal);
                if (internalError || !DockersMessages().Any(m => m.IsMatch(line)))
                {
                    bad.Add($"{command} (exit {result.ExitCode}): {line}");
                }
            }
        }

        Assert.True(bad.Count == 0, "messages that are not docker's:\n" + string.Join('\n', bad));
    }

    /// <summary>
    /// Every container process and monitor of the store belongs to a container that ps lists (rm -f
    /// can still find it): the records are read after the processes, so a container that ends
    /// in between is not counted against them.
    /// </summary>
    private void AssertNothingRunsWithoutARecord(SecurityLeftovers leftovers)
    {
        var processes = leftovers.Processes();
        var listed = anchor.ContainerIds();
        var orphans = processes.Where(p => !listed.Any(id => leftovers.Belongs(p, id))).ToList();
        Assert.True(orphans.Count == 0, "running without a record:\n" + string.Join('\n', orphans));
        Assert.True(leftovers.RecordlessDirectories().Count == 0, "directories without a record: " + string.Join(", ", leftovers.RecordlessDirectories()));
    }

    /// <summary>What docker prints for these verbs (moby's daemon messages, docker's CLI prefixes; `docker:` is `anchor:`).</summary>
    private static Regex[] DockersMessages() =>
    [
        ConflictMessage(),
        RenameConflictMessage(),
        NoSuchContainerMessage(),
        SeeHelpLine(),
        FailedToStartLine(),
        FailedToRenameLine(),
    ];

    /// <summary>docker/cli's own last line after a failed start (start.go) or rename (rename.go).</summary>
    [GeneratedRegex(@"^Error: failed to start containers: [\w.-]+$")]
    private static partial Regex FailedToStartLine();

    [GeneratedRegex(@"^Error: failed to rename container named [\w.-]+$")]
    private static partial Regex FailedToRenameLine();

    /// <summary>docker/cli follows a failed create or run with this line (cli.StatusError from runRun/runCreate).</summary>
    [GeneratedRegex(@"^See 'anchor (run|create) --help'\.$")]
    private static partial Regex SeeHelpLine();

    [GeneratedRegex("""^(anchor: )?Error response from daemon: Conflict\. The container name "/[\w.-]+" is already in use by container "[0-9a-f]{64}"\. You have to remove \(or rename\) that container to be able to reuse that name\.$""")]
    private static partial Regex ConflictMessage();

    [GeneratedRegex("""^Error response from daemon: Error when allocating new name: Conflict\. The container name "/[\w.-]+" is already in use by container "[0-9a-f]{64}"\. You have to remove \(or rename\) that container to be able to reuse that name\.$""")]
    private static partial Regex RenameConflictMessage();

    [GeneratedRegex(@"^Error response from daemon: No such container: [\w.-]+$")]
    private static partial Regex NoSuchContainerMessage();
}
