namespace Anchor.Cli.Output.Templates;

/// <summary>
/// The column titles docker gives each placeholder in a <c>table</c> format, per command
/// (docker/cli cli/command/formatter: container.go, image.go, volume.go SubHeaderContext;
/// cli/command/container/formatter_stats.go).
/// Pass one to <see cref="TemplateFormatter.Create"/>.
/// </summary>
public static class DockerHeaders
{
    /// <summary><c>docker ps</c>.</summary>
    public static TemplateObject Containers() => Build(
        ("ID", "CONTAINER ID"), ("Names", "NAMES"), ("Image", "IMAGE"), ("Command", "COMMAND"),
        ("CreatedAt", "CREATED AT"), ("RunningFor", "CREATED"), ("Ports", "PORTS"), ("State", "STATE"),
        ("Status", "STATUS"), ("Size", "SIZE"), ("Labels", "LABELS"), ("Mounts", "MOUNTS"),
        ("LocalVolumes", "LOCAL VOLUMES"), ("Networks", "NETWORKS"), ("Platform", "PLATFORM"));

    /// <summary><c>docker images</c>.</summary>
    public static TemplateObject Images() => Build(
        ("ID", "IMAGE ID"), ("Repository", "REPOSITORY"), ("Tag", "TAG"), ("Digest", "DIGEST"),
        ("CreatedSince", "CREATED"), ("CreatedAt", "CREATED AT"), ("Size", "SIZE"), ("Containers", "CONTAINERS"),
        ("VirtualSize", "VIRTUAL SIZE"), ("SharedSize", "SHARED SIZE"), ("UniqueSize", "UNIQUE SIZE"));

    /// <summary><c>docker volume ls</c>.</summary>
    public static TemplateObject Volumes() => Build(
        ("Name", "VOLUME NAME"), ("Driver", "DRIVER"), ("Scope", "SCOPE"), ("Mountpoint", "MOUNTPOINT"),
        ("Labels", "LABELS"), ("Links", "LINKS"), ("Size", "SIZE"));

    /// <summary><c>docker stats</c> (cli/command/container/formatter_stats.go).</summary>
    public static TemplateObject Stats() => Build(
        ("Container", "CONTAINER"), ("ID", "CONTAINER ID"), ("Name", "NAME"), ("CPUPerc", "CPU %"),
        ("MemUsage", "MEM USAGE / LIMIT"), ("MemPerc", "MEM %"), ("NetIO", "NET I/O"), ("BlockIO", "BLOCK I/O"),
        ("PIDs", "PIDS"));

    /// <summary><c>docker network ls</c>.</summary>
    public static TemplateObject Networks() => Build(
        ("ID", "NETWORK ID"), ("Name", "NAME"), ("Driver", "DRIVER"), ("Scope", "SCOPE"), ("IPv6", "IPV6"),
        ("Internal", "INTERNAL"), ("Labels", "LABELS"), ("CreatedAt", "CREATED AT"));

    /// <summary><c>docker system df</c> (formatter/disk_usage.go).</summary>
    public static TemplateObject DiskUsage() => Build(
        ("Type", "TYPE"), ("TotalCount", "TOTAL"), ("Active", "ACTIVE"), ("Size", "SIZE"), ("Reclaimable", "RECLAIMABLE"));

    public static TemplateObject Build(params (string Field, string Header)[] headers)
    {
        var obj = new TemplateObject();
        foreach (var (field, header) in headers)
        {
            obj[field] = header;
        }

        return obj;
    }
}
