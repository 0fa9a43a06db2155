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
        var size = new Option<bool>("--size", "-s") { Description = "Display total file sizes" };
        var command = new Command(name, "List containers") { all, quiet, noTrunc, last, latest, filters, format, size };
        command.SetAction(result =>
        {
            if (BadFilterFormat(result.GetValue(filters)) is { } bad)
            {
                Console.Error.WriteLine($"invalid argument \"{bad}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)");
                Console.Error.WriteLine($"See '{CliErrors.PathOf(result.CommandResult)} --help'.");
                return Engine.ExitCodes.EngineError;
            }

            // cli/command/container/list.go runs the template once on an empty row before listing:
            // its errors come first, worded "failed to parse/execute template", and a template that
            // uses .Size turns --size on.
            var template = result.GetValue(format);
            var sizes = result.GetValue(size) || (template?.Contains(".Size", StringComparison.Ordinal) ?? false);
            if (template is { Length: > 0 } and not "table")
            {
                PreExecute(template);
            }

            var engine = CliEngine.Of(result);
            // ps is a command that notices what killed commands left: directories without a
            // record, containers whose owner died (their processes, cgroups, leases, --rm), veths.
            var sweeper = engine.Sweeper;
            sweeper.SweepDirectories();
            var records = sweeper.SweepRecords(engine.Containers.List());
            Engine.Networks.NetworkAttachments.For(engine.Paths, engine.Containers).Reclaim(rules: false);
            var truncate = !result.GetValue(noTrunc);
            var count = result.GetValue(latest) ? 1 : result.GetValue(last);
            var lookups = ContainerFilterLookups.Of(engine.Images, engine.Containers);
            var filter = ContainerFilter.Parse(result.GetValue(filters) ?? [], lookups);
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
            string SizeOf(ContainerRecord c) => sizes ? SizeColumn(Engine.Usage.ContainerSize.Of(engine, c)) : "0B";
            if (template is { } custom && custom != "table")
            {
                var formatter = TemplateFormatter.Create(custom, DockerHeaders.Containers());
                foreach (var c in containers)
                {
                    formatter.Add(Row(c, now, truncate, Ports(c, endpoints), images.Of(c), lookups.Labels(c), SizeOf(c)));
                }

                Console.Out.Write(formatter.Render());
                return 0;
            }

            // docker's default table gains a SIZE column with --size (formatter/container.go).
            var table = sizes
                ? new TableWriter("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES", "SIZE")
                : new TableWriter("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
            foreach (var c in containers)
            {
                string[] cells = [truncate ? c.Id[..12] : c.Id, images.Of(c), Command(c, truncate), RelativeTime.Ago(c.Created, now), Status(c, now), Ports(c, endpoints), c.Name];
                table.Add(sizes ? [.. cells, SizeOf(c)] : cells);
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

    /// <summary>docker's FilterOpt.Set refuses a filter without "=" as a flag error (opts/opts.go).</summary>
    private static string? BadFilterFormat(string[]? filters) => filters?.FirstOrDefault(f => !f.Contains('=', StringComparison.Ordinal));

    private static void PreExecute(string template)
    {
        GoTemplate parsed;
        try
        {
            parsed = GoTemplate.Parse(template);
        }
        catch (TemplateException e)
        {
            throw new TemplateException("failed to parse template: " + e.Message, e);
        }

        try
        {
            parsed.Execute(Row(EmptyRow, DateTimeOffset.UtcNow, truncate: true, "", "", null, ""));
        }
        catch (TemplateException e)
        {
            throw new TemplateException("failed to execute template: " + e.Message, e);
        }
    }

    private static readonly ContainerRecord EmptyRow = new()
    {
        Id = new string('0', 64),
        Name = "",
        Image = "",
        ImageId = "",
        Created = DateTimeOffset.UnixEpoch,
    };

    /// <summary>ContainerContext.Size: "2B (virtual 1.24MB)" (go-units HumanSizeWithPrecision, 3 digits).</summary>
    private static string SizeColumn(Engine.Usage.ContainerSize size) =>
        size.SizeRootFs > 0 ? $"{ByteSize.Human(size.SizeRw)} (virtual {ByteSize.Human(size.SizeRootFs)})" : ByteSize.Human(size.SizeRw);

    /// <summary>ContainerContext.Labels: "k=v" pairs joined by commas (Go's map order is random; sorted here).</summary>
    private static string LabelsColumn(IReadOnlyDictionary<string, string>? labels) =>
        labels is null ? "" : string.Join(',', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    /// <summary>
    /// ContainerContext.Mounts: each mount's volume name, or its source for a bind, cut to 15
    /// characters with an ellipsis when truncating (stringutils.Ellipsis), joined by commas.
    /// </summary>
    private static string MountsColumn(ContainerRecord c, bool truncate) => string.Join(',', c.Mounts.Select(m =>
    {
        var name = string.IsNullOrEmpty(m.Name) ? m.Source : m.Name;
        return truncate && name.Length > 15 ? name[..14] + "…" : name;
    }));

    private static TemplateObject Row(ContainerRecord c, DateTimeOffset now, bool truncate, string ports, string image, IReadOnlyDictionary<string, string>? labels, string size) => new()
    {
        TypeName = "*formatter.ContainerContext",
        Methods = new Dictionary<string, TemplateFunction>(StringComparer.Ordinal)
        {
            ["Label"] = new(1, 1, args => labels is not null && labels.TryGetValue(args[0].ToString(), out var v) ? v : ""),
        },
        ["ID"] = truncate ? c.Id[..12] : c.Id,
        ["Image"] = image,
        ["Command"] = Command(c, truncate),
        ["CreatedAt"] = c.Created.ToString("yyyy-MM-dd HH:mm:ss +0000 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
        ["RunningFor"] = RelativeTime.Ago(c.Created, now),
        ["Ports"] = ports,
        ["State"] = c.Status.ToString().ToLowerInvariant(),
        ["Status"] = Status(c, now),
        ["Size"] = size,
        ["Names"] = c.Name,
        ["Labels"] = LabelsColumn(labels),
        ["Mounts"] = MountsColumn(c, truncate),
        ["Networks"] = c.Options?.Network.ToString().ToLowerInvariant() ?? "none",
    };

    private static string Command(ContainerRecord c, bool truncate) => Output.CommandColumn.Of(c.Command, truncate);

    private static string Status(ContainerRecord c, DateTimeOffset now) => ContainerStatusText.Of(c, now);
}
