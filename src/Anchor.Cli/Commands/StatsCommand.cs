using System.CommandLine;
using System.Globalization;
using Anchor.Cli.Output;
using Anchor.Engine;
using Anchor.Engine.Containers;
using Anchor.Runtime.Cgroups;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor stats [--no-stream] [-a] [CONTAINER...]</c>: CPU %, memory and pids from each container's
/// cgroup. CPU % is the CPU time used between two samples over the wall time between them (100 % is
/// one full CPU, as in docker). Without --no-stream the table is redrawn every second until Ctrl-C.
/// Network and block I/O are not collected yet and show as 0B / 0B.
/// </summary>
public static class StatsCommand
{
    public static Command Create()
    {
        var noStream = new Option<bool>("--no-stream") { Description = "Disable streaming stats and only pull the first result" };
        var all = new Option<bool>("--all", "-a") { Description = "Show all containers (default shows just running)" };
        var names = new Argument<string[]>("CONTAINER") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("stats", "Display a live stream of container(s) resource usage statistics") { noStream, all, names };
        command.SetAction(result =>
        {
            var engine = new AnchorEngine(GlobalOptions.Paths(result));
            var wanted = result.GetValue(names) ?? [];
            List<ContainerRecord> Targets() => wanted.Length > 0
                ? [.. wanted.Select(engine.Containers.Find).Select(ProcessLiveness.Refresh)]
                : [.. engine.Containers.List().Select(ProcessLiveness.Refresh)
                    .Where(c => result.GetValue(all) || c.Status is ContainerStatus.Running or ContainerStatus.Paused)
                    .OrderByDescending(c => c.Created)];
            var hostMemory = HostMemory();
            var previous = Sample(Targets());
            var stamp = Environment.TickCount64;
            while (true)
            {
                Thread.Sleep(result.GetValue(noStream) ? 500 : 1000);
                var targets = Targets();
                var current = Sample(targets);
                var elapsedNs = (Environment.TickCount64 - stamp) * 1_000_000.0;
                stamp = Environment.TickCount64;
                var table = new TableWriter("CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS");
                foreach (var c in targets)
                {
                    var now = current[c.Id];
                    var cpu = previous.TryGetValue(c.Id, out var before) && elapsedNs > 0
                        ? Math.Max(0, now.CpuNanoseconds - before.CpuNanoseconds) / elapsedNs * 100
                        : 0;
                    var limit = now.MemoryLimit ?? hostMemory;
                    var memPercent = limit > 0 ? now.MemoryUsage * 100.0 / limit : 0;
                    table.Add(
                        c.Id[..12],
                        c.Name,
                        cpu.ToString("0.00", CultureInfo.InvariantCulture) + "%",
                        $"{Binary(now.MemoryUsage)} / {Binary(limit)}",
                        memPercent.ToString("0.00", CultureInfo.InvariantCulture) + "%",
                        "0B / 0B",
                        "0B / 0B",
                        now.Pids.ToString(CultureInfo.InvariantCulture));
                }

                if (!result.GetValue(noStream))
                {
                    Console.Write("\u001b[2J\u001b[H");
                }

                table.Write(Console.Out);
                if (result.GetValue(noStream))
                {
                    return 0;
                }

                previous = current;
            }
        });
        return command;
    }

    private static Dictionary<string, CgroupStats> Sample(List<ContainerRecord> containers) =>
        containers.ToDictionary(c => c.Id, c => c.Status is ContainerStatus.Running or ContainerStatus.Paused
            ? CgroupFactory.Create(c.Id).Stats()
            : new CgroupStats(0, null, 0, 0));

    /// <summary>docker prints memory in binary units: 1.5MiB / 7.6GiB.</summary>
    private static string Binary(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString(unit == 0 ? "0" : "0.##", CultureInfo.InvariantCulture) + units[unit];
    }

    private static long HostMemory()
    {
        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
