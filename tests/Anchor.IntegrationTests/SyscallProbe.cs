namespace Anchor.IntegrationTests;

/// <summary>
/// Probes/probe.c, compiled statically (gcc, installed by install.sh) into a fixture's directory
/// once and bind-mounted read-only at /probe into busybox containers: it tries the system calls of
/// the confinement issue's attacks and prints "NAME: ok" or "NAME: ERRNO".
/// </summary>
public static class SyscallProbe
{
    private static readonly Lock Gate = new();

    /// <summary>The `-v HOST:/probe:ro` option for a container of <paramref name="anchor"/>'s store.</summary>
    public static string[] Mount(AnchorFixture anchor)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        var binary = Path.Combine(anchor.TempDir, "probe");
        lock (Gate)
        {
            if (!File.Exists(binary))
            {
                var source = Path.Combine(AppContext.BaseDirectory, "Probes", "probe.c");
                var gcc = ProcessRunner.Run("gcc", ["-static", "-O1", "-o", binary + ".tmp", source], timeout: TimeSpan.FromSeconds(120));
                Assert.True(gcc.ExitCode == 0, $"compiling the syscall probe failed: {gcc}");
                File.Move(binary + ".tmp", binary);
            }
        }

        return ["-v", binary + ":/probe:ro"];
    }

    /// <summary>Runs the probe in a new container with <paramref name="options"/>; returns NAME → result.</summary>
    public static Dictionary<string, string> Run(AnchorFixture anchor, IEnumerable<string> options, params string[] probes)
    {
        var result = anchor.RunRm([.. Mount(anchor), .. options], ["/probe", .. probes]);
        Assert.True(result.ExitCode == 0, $"probe {string.Join(' ', probes)} failed: {result}");
        return result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(": ", 2))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
    }
}
