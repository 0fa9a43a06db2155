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
        var command = new Command("df", "Show docker disk usage") { verbose };
        command.SetAction(result =>
        {
            var usage = DiskUsage.Measure(CliEngine.Of(result));
            Console.Out.Write(result.GetValue(verbose) ? Verbose(usage) : Summary(usage));
            return 0;
        });
        return command;
    }

    public static string Summary(DiskUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var table = new TableWriter("TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE");
        var imagesUsed = usage.Images.Where(i => i.Containers > 0).Sum(i => i.Size - i.SharedSize);
        table.Add("Images", Count(usage.Images.Count), Count(usage.Images.Count(i => i.Containers > 0)),
            ByteSize.HumanFour(usage.ImagesSize), Reclaimable(usage.ImagesSize - imagesUsed, usage.ImagesSize));
        var containersSize = usage.Containers.Sum(c => c.SizeRw);
        table.Add("Containers", Count(usage.Containers.Count), Count(usage.Containers.Count(c => DiskUsage.IsActive(c.Record))),
            ByteSize.HumanFour(containersSize), Reclaimable(usage.Containers.Where(c => !DiskUsage.IsActive(c.Record)).Sum(c => c.SizeRw), containersSize));
        var volumesSize = usage.Volumes.Sum(v => v.Size);
        table.Add("Local Volumes", Count(usage.Volumes.Count), Count(usage.Volumes.Count(v => v.Links > 0)),
            ByteSize.HumanFour(volumesSize), Reclaimable(usage.Volumes.Where(v => v.Links == 0).Sum(v => v.Size), volumesSize));
        table.Add("Build Cache", "0", "0", "0B", "0B");
        return Render(table);
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
