namespace Anchor.IntegrationTests;

/// <summary>The host's live processes (not zombies, not this test process), with their argv and /proc/PID/cgroup.</summary>
internal static class LiveProcesses
{
    /// <summary>Those for which <paramref name="match"/>(pid, argv, cgroup) holds; processes that end meanwhile are skipped.</summary>
    public static List<(int Pid, string[] Argv)> Where(Func<int, string[], string, bool> match)
    {
        var found = new List<(int, string[])>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId || !Detached.IsAlive(pid))
            {
                continue;
            }

            try
            {
                var argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                var cgroup = File.ReadAllText(Path.Combine(dir, "cgroup"));
                if (match(pid, argv, cgroup))
                {
                    found.Add((pid, argv));
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
