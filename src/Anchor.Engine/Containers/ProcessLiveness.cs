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

        try
        {
            // /proc/PID/stat: "pid (comm) S ..."; the state follows the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close < 0 || close + 2 >= stat.Length || stat[close + 2] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The record as it really is: a running container whose processes are gone is shown dead, not running.</summary>
    public static ContainerRecord Refresh(ContainerRecord record)
    {
        if (record.Status is not (ContainerStatus.Running or ContainerStatus.Restarting or ContainerStatus.Paused))
        {
            return record;
        }

        var owner = record.MonitorPid > 0 ? record.MonitorPid : record.Pid;
        return IsAlive(owner) ? record : record with { Status = ContainerStatus.Dead };
    }
}
