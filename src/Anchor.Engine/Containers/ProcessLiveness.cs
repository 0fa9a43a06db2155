using System.Globalization;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Containers;

/// <summary>Whether a recorded process still runs: exists (kill(pid, 0)) and is not a zombie.</summary>
public static class ProcessLiveness
{
    public static bool IsAlive(int pid)
    {
        if (pid <= 0 || LibC.kill(pid, 0) != 0)
        {
            return false;
        }

        // Gone between the two looks: dead; unreadable state: alive, as kill(2) said.
        return Stat(pid) is { } fields && (fields.Length == 0 || fields[0] is not ("Z" or "X"));
    }

    /// <summary>
    /// The process's start time (proc(5) /proc/PID/stat field 22, clock ticks after boot), or null
    /// when it is gone. A pid and its start time name one process for the host's uptime: a
    /// recycled pid has another start time.
    /// </summary>
    public static long? StartTime(int pid) =>
        pid > 0 && Stat(pid) is { Length: > 19 } fields && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? ticks
            : null;

    /// <summary>Whether the process that was <paramref name="pid"/> started at <paramref name="startTime"/> still runs.</summary>
    public static bool IsAlive(int pid, long startTime) =>
        Stat(pid) is { Length: > 19 } fields
        && fields[0] is not ("Z" or "X")
        && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
        && ticks == startTime;

    /// <summary>
    /// Whether the process that owns the container's processes is alive: its monitor, the
    /// `anchor run` (or build) that runs it in the foreground, or (records written before owners
    /// were recorded) the container's init itself.
    /// </summary>
    public static bool OwnerAlive(ContainerRecord record) =>
        record.MonitorPid > 0 ? IsAlive(record.MonitorPid)
        : record.OwnerPid > 0 ? IsAlive(record.OwnerPid, record.OwnerStartTime)
        : IsAlive(record.Pid);

    /// <summary>
    /// A container whose owner died without cleaning up (a SIGKILLed `anchor run` or build, a
    /// killed monitor): recorded as running, or created by a foreground run that never started
    /// it, and nobody left to reap, record or remove it.
    /// </summary>
    public static bool IsAbandoned(ContainerRecord record) =>
        record.Status switch
        {
            ContainerStatus.Running or ContainerStatus.Restarting or ContainerStatus.Paused => !OwnerAlive(record),
            ContainerStatus.Created or ContainerStatus.Dead => record.OwnerPid > 0 && record.MonitorPid == 0 && !OwnerAlive(record),
            _ => false,
        };

    /// <summary>The record as it really is: a running container whose processes are gone is shown dead, not running.</summary>
    public static ContainerRecord Refresh(ContainerRecord record)
    {
        if (record.Status is not (ContainerStatus.Running or ContainerStatus.Restarting or ContainerStatus.Paused))
        {
            return record;
        }

        // A foreground container also ends with its init (its owner reaps it and records the exit).
        var alive = OwnerAlive(record) && (record.MonitorPid > 0 || record.OwnerPid == 0 || IsAlive(record.Pid));
        return alive ? record : record with { Status = ContainerStatus.Dead };
    }

    /// <summary>The fields of /proc/PID/stat after the command name (the state first), or null when the process is gone.</summary>
    private static string[]? Stat(int pid)
    {
        if (pid <= 0)
        {
            return null;
        }

        try
        {
            // "pid (comm) S ppid ...": comm may hold spaces and parentheses; the fields follow the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close < 0 || close + 2 >= stat.Length ? [] : stat[(close + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}
