using System.CommandLine;
using System.Globalization;
using Anchor.Cli.Output;
using Anchor.Engine;
using Anchor.Engine.Containers;
using Anchor.Runtime.Cgroups;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor top CONTAINER</c>: the container's processes (from its cgroup) as host PIDs, like docker's default ps -ef view.</summary>
public static class TopCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("CONTAINER");
        var command = new Command("top", "Display the running processes of a container") { name };
        command.SetAction(result =>
        {
            var engine = new AnchorEngine(GlobalOptions.Paths(result));
            var record = ProcessLiveness.Refresh(engine.Containers.Find(result.GetValue(name)!));
            if (record.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
            {
                throw new EngineException($"container {record.Id} is not running", 1);
            }

            var table = new TableWriter("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
            foreach (var pid in Anchor.Engine.Resources.ContainerCgroup.Of(record).Pids().Order())
            {
                if (Describe(pid) is { } row)
                {
                    table.Add(row);
                }
            }

            table.Write(Console.Out);
            return 0;
        });
        return command;
    }

    private static string[]? Describe(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var uid = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
            var cmd = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            var time = TimeSpan.FromSeconds(ticks / 100);
            return [uid == "0" ? "root" : uid, pid.ToString(CultureInfo.InvariantCulture), fields[1], "0", "-", "?", time.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture), cmd];
        }
        catch (IOException)
        {
            return null;
        }
    }
}
