using System.CommandLine;
using Anchor.Engine;
using Anchor.Engine.Networks;
using Anchor.Engine.Units;
using Anchor.Engine.Usage;

namespace Anchor.Cli.Commands;

/// <summary>
/// <c>anchor system prune [-a] [--volumes] [-f] [--filter]</c>: stopped containers, unused networks, (with
/// --volumes) unused volumes and dangling (with -a: unused) images, in docker's order, with its
/// confirmation prompt and its "Total reclaimed space:" (docker/cli cli/command/system/prune.go).
/// The filters (until, label, label!) go to every prune, as docker's CLI passes them on; until
/// is refused with --volumes, which volume prune does not take.
/// </summary>
public static class SystemPruneCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove all unused images not just dangling ones" };
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var volumes = new Option<bool>("--volumes") { Description = "Prune volumes" };
        var filters = new Option<string[]>("--filter") { Description = "Provide filter values (e.g. 'label=<key>=<value>')" };
        var command = new Command("prune", "Remove unused data") { all, force, volumes, filters };
        command.SetAction(result =>
        {
            var everything = result.GetValue(all);
            var withVolumes = result.GetValue(volumes);
            var filterValues = result.GetValue(filters) ?? [];
            if (withVolumes && filterValues.Any(f => f.StartsWith("until=", StringComparison.Ordinal)))
            {
                throw new EngineException("ERROR: The \"until\" filter is not supported with \"--volumes\"", 1);
            }

            if (!result.GetValue(force))
            {
                Console.Write(Warning(everything, withVolumes, Shown(filterValues)) + " [y/N] ");
                var answer = Console.ReadLine()?.Trim();
                if (answer is not ("y" or "Y" or "yes" or "Yes" or "YES"))
                {
                    return 0;
                }
            }

            var engine = CliEngine.Of(result);
            long reclaimed = 0;
            var filter = Engine.Filters.PruneFilter.Parse(filterValues, DateTimeOffset.UtcNow);

            // Container sizes are their writable layers, measured before they go.
            var before = engine.Containers.List().ToDictionary(c => c.Id, c => DirectorySize.Of(Path.Combine(engine.Paths.ContainerDirectory(c.Id), "upper")));
            var containers = engine.Lifecycle.Prune(filter, Engine.Containers.ContainerFilterLookups.Of(engine.Images, engine.Containers).Labels);
            reclaimed += containers.Sum(id => before.GetValueOrDefault(id));
            Section("Deleted Containers:", containers);

            Section("Deleted Networks:", NetworkService.For(engine.Paths, engine.Containers).Prune(filter));

            if (withVolumes)
            {
                var sizes = engine.Volumes.List().ToDictionary(v => v.Name, v => DirectorySize.Of(v.Mountpoint));
                var removed = engine.Volumes.Prune(all: true, filterValues);
                reclaimed += removed.Sum(name => sizes.GetValueOrDefault(name));
                Section("Deleted Volumes:", removed);
            }

            var (lines, imageBytes) = engine.ImageService.Prune(everything, filter);
            reclaimed += imageBytes;
            Section("Deleted Images:", lines);

            Console.WriteLine($"Total reclaimed space: {ByteSize.HumanFour(reclaimed)}");
            return 0;
        });
        return command;
    }

    /// <summary>docker's confirmation text (its build cache lines included: docker prunes it too).</summary>
    public static string Warning(bool all, bool volumes) => Warning(all, volumes, []);

    /// <summary>The confirmation text with the filters docker lists under it ("Items to be pruned will be filtered with:").</summary>
    public static string Warning(bool all, bool volumes, IReadOnlyList<string> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        List<string> warnings = ["all stopped containers", "all networks not used by at least one container"];
        if (volumes)
        {
            warnings.Add("all volumes not used by at least one container");
        }

        warnings.Add(all ? "all images without at least one container associated to them" : "all dangling images");
        warnings.Add(all ? "all build cache" : "all dangling build cache");
        var filtered = filters.Count == 0
            ? ""
            : "\n  Items to be pruned will be filtered with:\n" + string.Concat(filters.Select(f => $"  - {f}\n"));
        return "WARNING! This will remove:\n" + string.Concat(warnings.Select(w => $"  - {w}\n")) + filtered + "\nAre you sure you want to continue?";
    }

    /// <summary>The filters as docker's prompt lists them: label, label! and until ones, KEY=VALUE, sorted.</summary>
    private static List<string> Shown(IEnumerable<string> filters) =>
        [.. filters.Where(f => f.StartsWith("label=", StringComparison.Ordinal) || f.StartsWith("label!=", StringComparison.Ordinal) || f.StartsWith("until=", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>One prune's report, as docker prints it: a heading, the items, an empty line; nothing when nothing went.</summary>
    private static void Section(string heading, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        Console.WriteLine(heading);
        foreach (var item in items)
        {
            Console.WriteLine(item);
        }

        Console.WriteLine();
    }
}
