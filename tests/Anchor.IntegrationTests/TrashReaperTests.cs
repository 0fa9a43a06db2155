namespace Anchor.IntegrationTests;

/// <summary>The trash reaper (State/Trash.cs): one per store, however quickly removals come.</summary>
[Collection(AnchorCollection.Name)]
public sealed class TrashReaperTests(AnchorFixture anchor)
{
    /// <summary>
    /// Each `run --rm` trashes its container and makes sure a reaper runs. The lock is handed to the
    /// reaper it starts, so the next removal sees it at once: one reaper serves a burst of runs
    /// (before, a removal in the gap before a new reaper took the lock started another one).
    /// </summary>
    [Fact]
    public void RunRm_Burst_OneReaperAtATime()
    {
        var most = 0;
        for (var i = 0; i < 8; i++)
        {
            anchor.ShOk("true");
            most = Math.Max(most, Reapers().Count);
        }

        Assert.True(most is 1, $"reapers of this store seen at once: {most}");
    }

    /// <summary>
    /// A reaper that has not run yet (stopped here right after the `run` that started it; on a busy
    /// machine it can wait long for a CPU) already holds the lock it was handed: the runs after it
    /// start no other.
    /// </summary>
    [Fact]
    public void RunRm_ReaperNotYetRunning_StillTheOnlyOne()
    {
        // A reaper left by an earlier test ends a second after its last deletion: the run below starts a new one.
        for (var i = 0; i < 50 && Reapers().Count > 0; i++)
        {
            Thread.Sleep(100);
        }

        anchor.ShOk("true");
        var first = Assert.Single(Reapers());
        Assert.Equal(0, Kill(first, "STOP"));
        try
        {
            for (var i = 0; i < 3; i++)
            {
                anchor.ShOk("true");
            }

            Assert.Equal([first], Reapers());
        }
        finally
        {
            Kill(first, "CONT");
        }
    }

    private static int Kill(int pid, string signal) => ProcessRunner.Run("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExitCode;

    private List<int> Reapers()
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                if (argv.Length >= 3 && argv[1] == "reap-trash" && argv[2] == anchor.Root && Detached.IsAlive(pid))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }

        return found;
    }
}
