namespace Anchor.IntegrationTests;

/// <summary>
/// The leak hunt's finding: `run --rm` removes the container's cgroup on a thread of its own while
/// it removes the directory. When the group cannot be removed in time (a process in it that does
/// not die: here one the test froze in a child freezer group; in life one in uninterruptible
/// sleep on a loaded host), the directory went anyway and the group stayed with nothing that names
/// it: an empty `anchor/ID` cgroup no ps, rm or prune ever looks at. Now the run leaves a
/// record-less directory for the group, and the next `ps` destroys it.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class SecurityCgroupLeakTests(AnchorFixture anchor)
{
    private const string Freezer = "/sys/fs/cgroup/freezer/anchor";

    [Fact]
    public async Task RunRm_GroupThatCannotBeRemovedInTime_IsReclaimedByTheNextPs()
    {
        if (!Directory.Exists(Freezer))
        {
            return; // cgroup v1's freezer only (this host's)
        }

        var cidFile = Path.Combine(anchor.TempDir, "leak-" + Guid.NewGuid().ToString("N")[..8] + ".cid");
        using var run = ProcessRunner.Start(anchor.Bin, [.. anchor.StoreArgs, "run", "--rm", "--cidfile", cidFile, "--network", "none", AnchorFixture.Image, "sleep", "2"]);
        run.StandardInput.Close();
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        var id = WaitFor(() => File.Exists(cidFile) && File.ReadAllText(cidFile).Trim() is { Length: 64 } s ? s : null, "the cidfile");
        var group = Path.Combine(Freezer, id);
        WaitFor(() => Directory.Exists(group) ? group : null, "the container's freezer group");

        // A host process frozen in a child group of the container's: SIGKILL waits for a thaw.
        var stuck = Path.Combine(group, "stuck");
        Directory.CreateDirectory(stuck);
        using var sleeper = ProcessRunner.Start("sleep", ["300"]);
        var report = "";
        var ended = false;
        try
        {
            File.WriteAllText(Path.Combine(stuck, "cgroup.procs"), sleeper.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(stuck, "freezer.state"), "FROZEN");

            ended = run.WaitForExit(60_000);
        }
        finally
        {
            if (Directory.Exists(stuck))
            {
                File.WriteAllText(Path.Combine(stuck, "freezer.state"), "THAWED");
            }

            if (!sleeper.WaitForExit(5000))
            {
                sleeper.Kill();
                sleeper.WaitForExit(5000);
            }
        }

        Assert.True(ended, "run --rm did not end");
        report = $"run --rm: exit {run.ExitCode}\n{await stdout}{await stderr}";

        // What the user does next: ps (the sweep), then nothing of the container is left.
        var ps = anchor.Anchor(["ps", "-a"]);
        Assert.True(ps.ExitCode == 0, ps.ToString());
        var left = AnchorFixture.CgroupChildren().Where(d => Path.GetFileName(d) == id).ToList();
        try
        {
            Assert.True(left.Count == 0, $"cgroups of {id[..12]} left after ps -a: {string.Join(", ", left)}\n{report}");
            Assert.False(Directory.Exists(Path.Combine(anchor.Root, "containers", id)), "the container's directory is still there");
        }
        finally
        {
            // Never leave the host with it, whatever the outcome.
            foreach (var dir in left.OrderByDescending(d => d.Length))
            {
                foreach (var child in Directory.GetDirectories(dir))
                {
                    Directory.Delete(child);
                }

                Directory.Delete(dir);
            }
        }
    }

    private static string WaitFor(Func<string?> probe, string what)
    {
        for (var i = 0; i < 300; i++)
        {
            if (probe() is { } found)
            {
                return found;
            }

            Thread.Sleep(20);
        }

        throw new Xunit.Sdk.XunitException($"timed out waiting for {what}");
    }
}
