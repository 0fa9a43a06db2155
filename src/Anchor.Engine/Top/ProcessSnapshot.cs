using System.Globalization;

namespace Anchor.Engine.Top;

/// <summary>
/// One process as /proc shows it (proc(5): /proc/PID/stat, status, cmdline), the fields ps
/// columns are made from. Times are in clock ticks (USER_HZ, 100 on Linux), sizes in bytes.
/// </summary>
public sealed record ProcessSnapshot
{
    public const long TicksPerSecond = 100;

    public required int Pid { get; init; }

    public required string Comm { get; init; }

    /// <summary>The arguments (cmdline); empty for a kernel thread or a zombie.</summary>
    public required IReadOnlyList<string> Args { get; init; }

    public required char State { get; init; }

    public required int Ppid { get; init; }

    public required int Pgrp { get; init; }

    public required int Session { get; init; }

    public required int TtyNr { get; init; }

    public required int Tpgid { get; init; }

    public required long UserTicks { get; init; }

    public required long SystemTicks { get; init; }

    public required int Priority { get; init; }

    public required int Nice { get; init; }

    public required int Threads { get; init; }

    /// <summary>Ticks after boot.</summary>
    public required long StartTicks { get; init; }

    public required long VirtualBytes { get; init; }

    public required long ResidentBytes { get; init; }

    public required uint Uid { get; init; }

    public required uint Gid { get; init; }

    /// <summary>The process now, or null when it is gone (it may exit between listing and reading).</summary>
    public static ProcessSnapshot? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            var f = stat[(close + 2)..].Split(' ');
            long L(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
            var ids = File.ReadLines($"/proc/{pid}/status")
                .Where(l => l.StartsWith("Uid:", StringComparison.Ordinal) || l.StartsWith("Gid:", StringComparison.Ordinal))
                .ToDictionary(l => l[..3], l => uint.Parse(l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture));
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return new ProcessSnapshot
            {
                Pid = pid,
                Comm = stat[(open + 1)..close],
                Args = cmdline.TrimEnd('\0').Split('\0', StringSplitOptions.None) is var a && a is [""] ? [] : a,
                State = f[0][0],
                Ppid = (int)L(1),
                Pgrp = (int)L(2),
                Session = (int)L(3),
                TtyNr = (int)L(4),
                Tpgid = (int)L(5),
                UserTicks = L(11),
                SystemTicks = L(12),
                Priority = (int)L(15),
                Nice = (int)L(16),
                Threads = (int)L(17),
                StartTicks = L(19),
                VirtualBytes = L(20),
                ResidentBytes = L(21) * Environment.SystemPageSize,
                Uid = ids["Uid"],
                Gid = ids["Gid"],
            };
        }
        catch (IOException)
        {
            return null;
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }
}
