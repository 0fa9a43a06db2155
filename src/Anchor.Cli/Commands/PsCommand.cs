using System.CommandLine;
using Anchor.Cli.Output;
using Anchor.Cli.Output.Templates;
using Anchor.Engine;
using Anchor.Engine.Containers;
using Anchor.Engine.Networks;
using Anchor.Engine.Units;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor ps [-a] [-q] [--no-trunc] [-n N] [-l] [--filter K=V] [--format F]</c> in docker's columns.</summary>
public static class PsCommand
{
    public static Command Create(string name)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Show all containers (default shows just running)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only display container IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var last = new Option<int>("--last", "-n") { Description = "Show n last created containers (includes all states)", DefaultValueFactory = _ => -1 };
        var latest = new Option<bool>("--latest", "-l") { Description = "Show the latest created container (includes all states)" };
        var filters = new Option<string[]>("--filter", "-f") { Description = "Filter output based on conditions provided" };
        var format = new Option<string?>("--format") { Description = "Format output using a custom template" };
        var command = new Command(name, "List containers") { all, quiet, noTrunc, last, latest, filters, format };
        command.SetAction(result =>
        {
            var engine = CliEngine.Of(result);
            // ps is a command that notices what killed commands left: directories without a
            // record, containers whose owner died (their processes, cgroups, leases, --rm), veths.
            var sweeper = engine.Sweeper;
            sweeper.SweepDirectories();
            var records = sweeper.SweepRecords(engine.Containers.List());
            Engine.Networks.NetworkAttachments.For(engine.Paths, engine.Containers).Reclaim(rules: false);
            var truncate = !result.GetValue(noTrunc);
            var count = result.GetValue(latest) ? 1 : result.GetValue(last);
            var filter = ContainerFilter.Parse(result.GetValue(filters) ?? [], ContainerFilterLookups.Of(engine.Images, engine.Containers));
            var containers = records
                .Select(ProcessLiveness.Refresh)
                .Where(c => result.GetValue(all) || count > 0 || filter.MentionsStatus || c.Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting)
                .Where(filter.Matches)
                .OrderByDescending(c => c.Created)
                .Take(count > 0 ? count : int.MaxValue)
                .ToList();
            if (result.GetValue(quiet))
            {
                foreach (var c in containers)
                {
                    Console.WriteLine(truncate ? c.Id[..12] : c.Id);
                }

                return 0;
            }

            var now = DateTimeOffset.UtcNow;
            var images = new ImageColumn(engine.Images, truncate);
            var endpoints = new NetworkStore(engine.Paths).Read().Endpoints;
            if (result.GetValue(format) is { } template && template != "table")
            {
                var formatter = TemplateFormatter.Create(template, DockerHeaders.Containers());
                foreach (var c in containers)
                {
                    formatter.Add(Row(c, now, truncate, Ports(c, endpoints), images.Of(c)));
                }

                Console.Out.Write(formatter.Render());
                return 0;
            }

            var table = new TableWriter("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
            foreach (var c in containers)
            {
                table.Add(truncate ? c.Id[..12] : c.Id, images.Of(c), Command(c, truncate), RelativeTime.Ago(c.Created, now), Status(c, now), Ports(c, endpoints), c.Name);
            }

            table.Write(Console.Out);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// docker shows ports of running containers only: published ones (the endpoints' leases), then
    /// exposed ones. They come from the container's network endpoints (daemon getPortMapInfo), so a
    /// container without one (--network none, host) shows none, exposed or not.
    /// </summary>
    private static string Ports(ContainerRecord c, IReadOnlyList<EndpointRecord> endpoints)
    {
        var own = endpoints.Where(e => e.ContainerId == c.Id).ToList();
        return c.Status is ContainerStatus.Running or ContainerStatus.Paused && own.Count > 0
            ? PortsColumn.Format(own.SelectMany(e => e.Ports), c.ExposedPorts)
            : "";
    }

    private static TemplateObject Row(ContainerRecord c, DateTimeOffset now, bool truncate, string ports, string image) => new()
    {
        TypeName = "*formatter.ContainerContext",
        ["ID"] = truncate ? c.Id[..12] : c.Id,
        ["Image"] = image,
        ["Command"] = Command(c, truncate),
        ["CreatedAt"] = c.Created.ToString("yyyy-MM-dd HH:mm:ss +0000 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
        ["RunningFor"] = RelativeTime.Ago(c.Created, now),
        ["Ports"] = ports,
        ["State"] = c.Status.ToString().ToLowerInvariant(),
        ["Status"] = Status(c, now),
        ["Size"] = "0B",
        ["Names"] = c.Name,
        ["Labels"] = "",
        ["Mounts"] = "",
        ["Networks"] = c.Options?.Network.ToString().ToLowerInvariant() ?? "none",
    };

    private static string Command(ContainerRecord c, bool truncate) => Output.CommandColumn.Of(c.Command, truncate);

    private static string Status(ContainerRecord c, DateTimeOffset now) => c.Status switch
    {
        ContainerStatus.Running when c.StartedAt is { } s => "Up " + RelativeTime.Human(now - s) + Anchor.Engine.Health.HealthStateMachine.StatusSuffix(c.Health),
        ContainerStatus.Paused when c.StartedAt is { } s => "Up " + RelativeTime.Human(now - s) + " (Paused)",
        ContainerStatus.Restarting when c.FinishedAt is { } f => $"Restarting ({c.ExitCode}) {RelativeTime.Ago(f, now)}",
        ContainerStatus.Exited when c.FinishedAt is { } f => $"Exited ({c.ExitCode}) {RelativeTime.Ago(f, now)}",
        ContainerStatus.Created => "Created",
        var other => other.ToString(),
    };
}
