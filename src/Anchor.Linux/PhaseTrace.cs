namespace Anchor.Linux;

/// <summary>
/// ANCHOR_TRACE=1 prints a wall-clock timestamp per phase on stderr, from the CLI and from the
/// init stage alike, so start-up latency can be attributed (bench/ quotes the totals).
/// </summary>
public static class PhaseTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("ANCHOR_TRACE") == "1";

    public static void Mark(string phase)
    {
        if (Enabled)
        {
            var now = DateTime.UtcNow;
            Console.Error.WriteLine($"[trace {now:HH:mm:ss.ffffff} pid {Environment.ProcessId}] {phase} (allocated {GC.GetTotalAllocatedBytes() / 1024} KiB)");
        }
    }
}
