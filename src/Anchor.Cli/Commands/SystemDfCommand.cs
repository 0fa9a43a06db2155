using System.CommandLine;
using Anchor.Cli.Output;
using Anchor.Engine;
using Anchor.Engine.Units;
using Anchor.Engine.Usage;

namespace Anchor.Cli.Commands;

/// <summary><c>anchor system df [-v]</c>: docker's disk usage table (docker/cli formatter/disk_usage.go).</summary>
public static class SystemDfCommand
{
    public static Command Create()
    {
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show detailed information on space usage" };
        var format = new Option<string?>("--format") { Description = "Pretty-print images using a Go template" };
        var command = new Command("df", "Show docker disk usage") { verbose, format };
        command.SetAction(result =>
        {
            var usage = DiskUsage.Measure(CliEngine.Of(result));
            if (!result.GetValue(verbose) && result.GetValue(format) is { Length: > 0 } template && template != "table")
            {
                Console.Out.Write(Formatted(usage, template));
                return 0;
            }

            Console.Out.Write(result.GetValue(verbose) ? Verbose(usage) : Summary(usage));
            return 0;
        });
        return command;
    }

    public static string Summary(DiskUsage usage)
    {
        var table = new TableWriter("TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE");
        foreach (var row in Rows(usage))
        {
            table.Add(row);
        }

        return Render(table);
    }

    /// <summary>
    /// <c>system df --format</c>: the template once per row; each row is one of docker's
    /// diskUsage*Context structs with the fields Type, TotalCount, Active, Size and Reclaimable.
    /// </summary>
    private static string Formatted(DiskUsage usage, string template)
    {
        var formatter = Output.Templates.TemplateFormatter.Create(template, Output.Templates.DockerHeaders.DiskUsage());
        string[] types = ["*formatter.diskUsageImagesContext", "*formatter.diskUsageContainersContext", "*formatter.diskUsageVolumesContext", "*formatter.diskUsageBuilderContext"];
        foreach (var (row, type) in Rows(usage).Zip(types))
        {
            formatter.Add(new Output.Templates.TemplateObject
            {
                TypeName = type,
                ["Type"] = row[0],
                ["TotalCount"] = row[1],
                ["Active"] = row[2],
                ["Size"] = row[3],
                ["Reclaimable"] = row[4],
            });
        }

        return formatter.Render();
    }

    /// <summary>The summary's four rows: type, total, active, size, reclaimable.</summary>
    private static IEnumerable<string[]> Rows(DiskUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var imagesUsed = usage.Images.Where(i => i.Containers > 0).Sum(i => i.Size - i.SharedSize);
        yield return ["Images", Count(usage.Images.Count), Count(usage.Images.Count(i => i.Containers > 0)),
            ByteSize.HumanFour(usage.ImagesSize), Reclaimable(usage.ImagesSize - imagesUsed, usage.ImagesSize)];
        var containersSize = usage.Containers.Sum(c => c.SizeRw);
        yield return ["Containers", Count(usage.Containers.Count), Count(usage.Containers.Count(c => DiskUsage.IsActive(c.Record))),
            ByteSize.HumanFour(containersSize), Reclaimable(usage.Containers.Where(c => !DiskUsage.IsActive(c.Record)).Sum(c => c.SizeRw), containersSize)];
        var volumesSize = usage.Volumes.Sum(v => v.Size);
        yield return ["Local Volumes", Count(usage.Volumes.Count), Count(usage.Volumes.Count(v => v.Links > 0)),
            ByteSize.HumanFour(volumesSize), Reclaimable(usage.Volumes.Where(v => v.Links == 0).Sum(v => v.Size), volumesSize)];
        yield return ["Build Cache", "0", "0", "0B", "0B"];
    }

    /// <summary>docker's RECLAIMABLE cell: the size, and its share of the total in whole percent when there is a total.</summary>
    private static string Reclaimable(long reclaimable, long total) =>
        total > 0 ? $"{ByteSize.HumanFour(reclaimable)} ({reclaimable * 100 / total}%)" : ByteSize.HumanFour(reclaimable);

    private static string Render(TableWriter table)
    {
        var text = new StringWriter { NewLine = "\n" };
        table.Write(text);
        return text.ToString();
    }

    private static string Count(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Verbose(DiskUsage usage)
    {
        var now = DateTimeOffset.Now;
        var images = new TableWriter("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED SIZE", "UNIQUE SIZE", "CONTAINERS");
        foreach (var i in usage.Images)
        {
            var tags = i.Image.References.Count > 0 ? i.Image.References.Select(r => (r.FamiliarRepository, r.Tag ?? "<none>")).ToList() : [("<none>", "<none>")];
            foreach (var (repository, tag) in tags)
            {
                images.Add(repository, tag, i.Image.Id.Short, i.Image.Created is { } c ? RelativeTime.Ago(c, now) : "N/A",
                    ByteSize.HumanFour(i.Size), ByteSize.HumanFour(i.SharedSize), ByteSize.HumanFour(i.Size - i.SharedSize), Count(i.Containers));
            }
        }

        var containers = new TableWriter("CONTAINER ID", "IMAGE", "COMMAND", "LOCAL VOLUMES", "SIZE", "CREATED", "STATUS", "NAMES");
        foreach (var c in usage.Containers)
        {
            var command = string.Join(' ', c.Record.Command);
            containers.Add(c.Record.Id[..12], c.Record.Image, "\"" + (command.Length > 20 ? command[..19] + "…" : command) + "\"",
                Count(c.Record.Mounts.Count(m => m.Type == Engine.Volumes.MountSpec.Volume)), ByteSize.HumanFour(c.SizeRw),
                RelativeTime.Ago(c.Record.Created, now), c.Record.Status.ToString().ToLowerInvariant(), c.Record.Name);
        }

        var volumes = new TableWriter("VOLUME NAME", "LINKS", "SIZE");
        foreach (var v in usage.Volumes)
        {
            volumes.Add(v.Volume.Name, Count(v.Links), ByteSize.HumanFour(v.Size));
        }

        return $"Images space usage:\n\n{Render(images)}\nContainers space usage:\n\n{Render(containers)}\nLocal Volumes space usage:\n\n{Render(volumes)}\nBuild cache usage: 0B\n\nCACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED\n";
    }
}
