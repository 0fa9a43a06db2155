namespace Anchor.Linux;

/// <summary>
/// ANCHOR_TRACE=1 prints a wall-clock timestamp per phase on stderr, from the CLI and from the
/// init stage alike, so start-up latency can be attributed (bench/ quotes the totals). With
/// ANCHOR_TRACE_FILE=PATH the lines are appended to that file instead: a detached container's
/// monitor has no stderr to write to, and its phases are where `run -d` spends its time.
/// </summary>
public static class PhaseTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("ANCHOR_TRACE") == "1";
    /// <summary>
    /// Opened once, before any thread of this process changes its mount namespace or root (the
    /// namespace thread pivots): the path would not resolve there.
    /// </summary>
    private static readonly int FileFd = OpenTraceFile();

    public static void Mark(string phase)
    {
        if (Enabled)
        {
            var now = DateTime.UtcNow;
            var line = $"[trace {now:HH:mm:ss.ffffff} pid {Environment.ProcessId}] {phase} (allocated {GC.GetTotalAllocatedBytes() / 1024} KiB)";
            if (FileFd < 0)
            {
                Console.Error.WriteLine(line);
            }
            else
            {
                // One write per line (O_APPEND): lines of concurrent processes do not interleave.
                // A failed write is dropped: tracing never changes what a command does.
                var bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
                unsafe
                {
                    fixed (byte* p = bytes)
                    {
                        _ = Interop.LibC.write(FileFd, p, bytes.Length);
                    }
                }
            }
        }
    }

    private static int OpenTraceFile()
    {
        var path = Environment.GetEnvironmentVariable("ANCHOR_TRACE_FILE");
        return Enabled && !string.IsNullOrEmpty(path)
            ? Interop.LibC.open(path, Interop.LibC.O_WRONLY | Interop.LibC.O_APPEND | Interop.LibC.O_CREAT | Interop.LibC.O_CLOEXEC, 0x180 /* 0600 */)
            : -1;
    }
}
