using System.CommandLine;
using System.Globalization;
using Anchor.Cli.Output;
using Anchor.Cli.Output.Templates;
using Anchor.Engine;
using Anchor.Engine.Containers;
using Anchor.Engine.Units;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor stats [--no-stream] [--no-trunc] [-a] [--format F] [CONTAINER...]</c>: CPU %, memory,
/// network, block I/O and pids of each container. CPU % is the CPU time used between two samples
/// over the wall time between them (100 % is one full CPU, as in docker). Memory is printed in binary
/// units, network and block I/O in decimal ones, as docker does (go-units BytesSize and
/// HumanSizeWithPrecision). Without --no-stream the output is redrawn every second until Ctrl-C.
/// </summary>
public static class StatsCommand
{
    public static Command Create()
    {
        var noStream = new Option<bool>("--no-stream") { Description = "Disable streaming stats and only pull the first result" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Do not truncate output" };
        var all = new Option<bool>("--all", "-a") { Description = "Show all containers (default shows just running)" };
        var format = new Option<string?>("--format") { Description = "Format output using a custom template" };
        var names = new Argument<string[]>("CONTAINER") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("stats", "Display a live stream of container(s) resource usage statistics") { noStream, noTrunc, all, format, names };
        command.SetAction(result =>
        {
            var engine = CliEngine.Of(result);
            var wanted = result.GetValue(names) ?? [];
            var template = result.GetValue(format) is { } f && f != "table" ? f : null;
            if (template is not null)
            {
                _ = TemplateFormatter.Create(template, DockerHeaders.Stats()); // a bad template fails before the first sample
            }

            // docker's stats asks the daemon for each container's stream (ContainerStats, whose
            // 404 its client passes on as it is): a missing one is the daemon's "No such container".
            ContainerRecord Lookup(string name)
            {
                try
                {
                    return engine.Containers.Find(name);
                }
                catch (EngineException e) when (e.NotFound)
                {
                    throw EngineException.Daemon(e.Kind, e.Message, 1);
                }
            }

            List<(string Given, ContainerRecord Record)> Targets() => wanted.Length > 0
                ? [.. wanted.Select(n => (n, ProcessLiveness.Refresh(Lookup(n))))]
                : [.. engine.Containers.List().Select(ProcessLiveness.Refresh)
                    .Where(c => result.GetValue(all) || c.Status is ContainerStatus.Running or ContainerStatus.Paused)
                    .OrderByDescending(c => c.Created)
                    .Select(c => (c.Id[..12], c))];
            var hostMemory = HostUsage.MemoryTotal();
            var previous = Sample(Targets());
            var stamp = Environment.TickCount64;
            while (true)
            {
                Thread.Sleep(result.GetValue(noStream) ? 500 : 1000);
                var targets = Targets();
                var current = Sample(targets);
                var elapsedNs = (Environment.TickCount64 - stamp) * 1_000_000.0;
                stamp = Environment.TickCount64;
                var rows = targets.Select(t => Row(t.Given, t.Record, current[t.Record.Id], previous.GetValueOrDefault(t.Record.Id), elapsedNs, hostMemory, !result.GetValue(noTrunc)));
                var output = template is null ? Table(rows) : Render(template, rows);
                if (!result.GetValue(noStream))
                {
                    Console.Write("\u001b[2J\u001b[H");
                }

                Console.Out.Write(output);
                if (result.GetValue(noStream))
                {
                    return 0;
                }

                previous = current;
            }
        });
        return command;
    }

    private static Dictionary<string, ContainerUsage> Sample(List<(string Given, ContainerRecord Record)> containers)
    {
        var samples = new Dictionary<string, ContainerUsage>(StringComparer.Ordinal);
        foreach (var (_, c) in containers)
        {
            samples[c.Id] = ContainerStats.Sample(c);
        }

        return samples;
    }

    /// <summary>One row with docker's field names and formats (statsContext in formatter_stats.go).</summary>
    private static TemplateObject Row(string given, ContainerRecord c, ContainerUsage now, ContainerUsage? before, double elapsedNs, long hostMemory, bool truncate)
    {
        var cpu = before is not null && elapsedNs > 0
            ? Math.Max(0, now.Cgroup.CpuNanoseconds - before.Cgroup.CpuNanoseconds) / elapsedNs * 100
            : 0;
        var limit = now.Cgroup.MemoryLimit ?? hostMemory;
        var memPercent = limit > 0 ? now.Cgroup.MemoryUsage * 100.0 / limit : 0;
        // Keys in Go's sorted map order: docker marshals the row for {{json .}} through a map.
        return new TemplateObject
        {
            TypeName = "*container.statsContext",
            ["BlockIO"] = $"{ByteSize.Human(now.Cgroup.BlockRead)} / {ByteSize.Human(now.Cgroup.BlockWritten)}",
            ["CPUPerc"] = Percent(cpu),
            ["Container"] = given,
            ["ID"] = truncate ? c.Id[..12] : c.Id,
            ["MemPerc"] = Percent(memPercent),
            ["MemUsage"] = $"{ByteSize.Binary(now.Cgroup.MemoryUsage)} / {ByteSize.Binary(limit)}",
            ["Name"] = c.Name,
            ["NetIO"] = $"{ByteSize.Human(now.NetReceived)} / {ByteSize.Human(now.NetTransmitted)}",
            ["PIDs"] = now.Cgroup.Pids.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string Percent(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Table(IEnumerable<TemplateObject> rows)
    {
        string[] fields = ["ID", "Name", "CPUPerc", "MemUsage", "MemPerc", "NetIO", "BlockIO", "PIDs"];
        var headers = DockerHeaders.Stats();
        var table = new TableWriter([.. fields.Select(f => Text(headers, f))]);
        foreach (var row in rows)
        {
            table.Add([.. fields.Select(f => Text(row, f))]);
        }

        var text = new StringWriter();
        table.Write(text);
        return text.ToString();
    }

    private static string Render(string template, IEnumerable<TemplateObject> rows)
    {
        var formatter = TemplateFormatter.Create(template, DockerHeaders.Stats());
        foreach (var row in rows)
        {
            formatter.Add(row);
        }

        return formatter.Render();
    }

    private static string Text(TemplateObject obj, string field) => obj[field].AsString;
}
