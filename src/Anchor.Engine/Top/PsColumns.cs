using System.Globalization;

namespace Anchor.Engine.Top;

/// <summary>
/// The ps(1) columns <c>top</c> can show, with procps's headers and formats (ps(1), "STANDARD
/// FORMAT SPECIFIERS"), computed from <see cref="ProcessSnapshot"/> and the host's clock, memory
/// and user database, as ps on the host computes them for docker's top.
/// </summary>
public sealed class PsColumns
{
    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["pid"] = "PID", ["ppid"] = "PPID", ["pgid"] = "PGID", ["pgrp"] = "PGRP", ["sid"] = "SID", ["tpgid"] = "TPGID",
        ["uid"] = "UID", ["euid"] = "EUID", ["user"] = "USER", ["euser"] = "EUSER", ["uname"] = "USER",
        ["gid"] = "GID", ["egid"] = "EGID", ["group"] = "GROUP", ["egroup"] = "EGROUP",
        ["comm"] = "COMMAND", ["ucmd"] = "CMD", ["ucomm"] = "COMMAND", ["args"] = "COMMAND", ["command"] = "COMMAND", ["cmd"] = "CMD",
        ["c"] = "C", ["%cpu"] = "%CPU", ["pcpu"] = "%CPU", ["%mem"] = "%MEM", ["pmem"] = "%MEM",
        ["vsz"] = "VSZ", ["vsize"] = "VSZ", ["rss"] = "RSS", ["rssize"] = "RSS", ["rsz"] = "RSZ",
        ["stat"] = "STAT", ["s"] = "S", ["state"] = "S", ["tty"] = "TT", ["tt"] = "TT", ["tname"] = "TTY",
        ["time"] = "TIME", ["cputime"] = "TIME", ["etime"] = "ELAPSED", ["etimes"] = "ELAPSED",
        ["stime"] = "STIME", ["start_time"] = "START", ["start"] = "STARTED", ["bsdstart"] = "START",
        ["ni"] = "NI", ["nice"] = "NI", ["pri"] = "PRI", ["nlwp"] = "NLWP", ["thcount"] = "THCNT",
    };

    private readonly DateTimeOffset _now;
    private readonly DateTimeOffset _boot;
    private readonly long _memTotal;
    private readonly Dictionary<uint, string> _users;
    private readonly Dictionary<uint, string> _groups;

    public PsColumns(DateTimeOffset now)
    {
        _now = now;
        _boot = DateTimeOffset.FromUnixTimeSeconds(ReadBootTime());
        _memTotal = ReadMemTotal();
        _users = ReadNames("/etc/passwd");
        _groups = ReadNames("/etc/group");
    }

    public static bool Known(string key) => Headers.ContainsKey(key);

    public static string Header(string key) => Headers[key];

    public string Value(string key, ProcessSnapshot p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var cpuTicks = p.UserTicks + p.SystemTicks;
        var started = _boot.AddSeconds((double)p.StartTicks / ProcessSnapshot.TicksPerSecond);
        var elapsed = _now - started;
        return key switch
        {
            "pid" => I(p.Pid),
            "ppid" => I(p.Ppid),
            "pgid" or "pgrp" => I(p.Pgrp),
            "sid" => I(p.Session),
            "tpgid" => I(p.Tpgid),
            "uid" or "euid" => I(p.Uid),
            "user" or "euser" or "uname" => Name(_users, p.Uid),
            "gid" or "egid" => I(p.Gid),
            "group" or "egroup" => Name(_groups, p.Gid),
            "comm" or "ucmd" or "ucomm" => p.Comm,
            "args" or "command" or "cmd" => p.Args.Count > 0 ? string.Join(' ', p.Args) : $"[{p.Comm}]",
            "c" => I((int)Percent(cpuTicks, elapsed)),
            "%cpu" or "pcpu" => Percent(cpuTicks, elapsed).ToString("0.0", CultureInfo.InvariantCulture),
            "%mem" or "pmem" => (_memTotal > 0 ? p.ResidentBytes * 100.0 / _memTotal : 0).ToString("0.0", CultureInfo.InvariantCulture),
            "vsz" or "vsize" => (p.VirtualBytes / 1024).ToString(CultureInfo.InvariantCulture),
            "rss" or "rssize" or "rsz" => (p.ResidentBytes / 1024).ToString(CultureInfo.InvariantCulture),
            "stat" => Stat(p),
            "s" or "state" => p.State.ToString(),
            "tty" or "tt" or "tname" => Tty(p.TtyNr),
            "time" or "cputime" => Duration(cpuTicks / ProcessSnapshot.TicksPerSecond, alwaysHours: true),
            "etime" => Duration((long)elapsed.TotalSeconds, alwaysHours: false),
            "etimes" => ((long)elapsed.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            "stime" or "start_time" or "bsdstart" => Start(started),
            "start" => started.ToLocalTime().ToString(elapsed < TimeSpan.FromHours(24) ? "HH:mm:ss" : "MMM dd", CultureInfo.InvariantCulture),
            "ni" or "nice" => I(p.Nice),
            "pri" => I(p.Priority),
            "nlwp" or "thcount" => I(p.Threads),
            _ => "-",
        };
    }

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static double Percent(long ticks, TimeSpan elapsed) =>
        elapsed.TotalSeconds <= 0 ? 0 : Math.Floor(ticks * 1000.0 / ProcessSnapshot.TicksPerSecond / elapsed.TotalSeconds) / 10;

    /// <summary>BSD STAT: the state, then s (session leader), l (threads), + (foreground group), &lt;/N (priority).</summary>
    private static string Stat(ProcessSnapshot p)
    {
        var stat = p.State.ToString();
        stat += p.Nice < 0 ? "<" : p.Nice > 0 ? "N" : "";
        stat += p.Pid == p.Session ? "s" : "";
        stat += p.Threads > 1 ? "l" : "";
        stat += p.TtyNr != 0 && p.Tpgid == p.Pgrp ? "+" : "";
        return stat;
    }

    /// <summary>The controlling terminal by device number (pts 136–143, tty 4), "?" for none.</summary>
    private static string Tty(int ttyNr)
    {
        if (ttyNr == 0)
        {
            return "?";
        }

        var major = (ttyNr >> 8) & 0xFFF;
        var minor = (ttyNr & 0xFF) | ((ttyNr >> 12) & 0xFFF00);
        return major switch
        {
            >= 136 and <= 143 => $"pts/{minor + ((major - 136) * 256)}",
            4 when minor < 64 => $"tty{minor}",
            4 => $"ttyS{minor - 64}",
            _ => "?",
        };
    }

    /// <summary>[DD-]HH:MM:SS (TIME) or [[DD-]HH:]MM:SS (ELAPSED).</summary>
    private static string Duration(long seconds, bool alwaysHours)
    {
        var days = seconds / 86400;
        var hours = seconds / 3600 % 24;
        var minutes = seconds / 60 % 60;
        var secs = seconds % 60;
        var prefix = days > 0 ? $"{days}-" : "";
        return alwaysHours || days > 0 || hours > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{prefix}{hours:00}:{minutes:00}:{secs:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{minutes:00}:{secs:00}");
    }

    /// <summary>STIME: HH:MM when started within a day, else MonDD, else the year (procps).</summary>
    private string Start(DateTimeOffset started)
    {
        var local = started.ToLocalTime();
        var age = _now - started;
        return age < TimeSpan.FromHours(24) ? local.ToString("HH:mm", CultureInfo.InvariantCulture)
            : age < TimeSpan.FromDays(365) ? local.ToString("MMMdd", CultureInfo.InvariantCulture)
            : local.ToString("yyyy", CultureInfo.InvariantCulture);
    }

    private static string Name(Dictionary<uint, string> names, uint id) =>
        names.TryGetValue(id, out var name) ? name : id.ToString(CultureInfo.InvariantCulture);

    private static long ReadBootTime()
    {
        var line = File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("btime ", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[6..].Trim(), CultureInfo.InvariantCulture);
    }

    private static long ReadMemTotal()
    {
        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>The host's names for ids (ps on the host reads the host's database, so docker's top does too).</summary>
    private static Dictionary<uint, string> ReadNames(string path)
    {
        var names = new Dictionary<uint, string>();
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var fields = line.Split(':');
                if (fields.Length > 2 && uint.TryParse(fields[2], CultureInfo.InvariantCulture, out var id))
                {
                    names.TryAdd(id, fields[0]);
                }
            }
        }
        catch (IOException)
        {
            // No database: numbers, as ps prints them.
        }

        return names;
    }
}
