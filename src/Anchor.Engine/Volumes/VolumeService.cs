using Anchor.Engine.Containers;
using Anchor.Engine.Events;

namespace Anchor.Engine.Volumes;

/// <summary>The volume verbs and the rule that a volume a container uses cannot be removed.</summary>
public sealed class VolumeService(VolumeStore volumes, ContainerStore containers)
{
    /// <summary>
    /// Only the local driver exists: the daemon's volume service names the volume, then looks the
    /// driver up (moby volume/service Create; a volume without a name gets a random ID first).
    /// </summary>
    public static void RequireLocalDriver(string? driver, string? name)
    {
        if (!string.IsNullOrEmpty(driver) && driver != "local")
        {
            var volume = name ?? ContainerId.New();
            throw EngineException.Daemon(EngineErrorKind.NotFound, $"create {volume}: error looking up volume plugin {driver}: plugin \"{driver}\" not found", 1);
        }
    }

    public VolumeRecord Create(string? name, Dictionary<string, string>? labels) =>
        volumes.Ensure(name ?? ContainerId.New(), anonymous: false, labels).Volume;

    public IReadOnlyList<VolumeRecord> List() => volumes.List();

    /// <summary>volume ls --filter.</summary>
    public IReadOnlyList<VolumeRecord> List(IReadOnlyList<string> filters)
    {
        var filter = VolumeFilter.Parse(filters, VolumeFilter.ListKeys);
        return [.. volumes.List().Where(v => filter.Matches(v, name => UsedBy(name) is not null))];
    }

    public VolumeRecord Get(string name) => volumes.Get(name) ?? throw VolumeStore.NoSuchVolume(name);

    public void Remove(string name, bool force) => volumes.Remove(name, force ? _ => null : UsedBy);

    /// <summary>Removes unused volumes: anonymous ones, or all unused with <paramref name="all"/> (docker 23+).</summary>
    public IReadOnlyList<string> Prune(bool all) => Prune(all, []);

    /// <summary>volume prune [--all] [--filter label=…|label!=…|all=true]: unused anonymous (or all unused) volumes.</summary>
    public IReadOnlyList<string> Prune(bool all, IReadOnlyList<string> filters)
    {
        var filter = VolumeFilter.Parse(filters, VolumeFilter.PruneKeys);
        all |= filter.All;
        var removed = new List<string>();
        foreach (var volume in volumes.List().Where(v => (all || v.Anonymous) && filter.Matches(v, _ => false)))
        {
            if (UsedBy(volume.Name) is null)
            {
                volumes.Remove(volume.Name, UsedBy);
                removed.Add(volume.Name);
            }
        }

        return removed;
    }

    /// <summary>Deletes a container's record and directory and, unless told not to, its anonymous volumes.</summary>
    /// <param name="current">The record as the caller knows it to be (its name and mounts), which
    /// spares reading it back: `run --rm` wrote it itself.</param>
    public void DeleteContainer(string id, bool removeVolumes = true, bool reap = true, ContainerRecord? current = null)
    {
        var record = current ?? containers.Get(id);
        containers.Delete(id, reap, record?.Name);
        if (record is not null)
        {
            EventLog.Emit(containers.Paths, EventLog.Container(record, "destroy"));
        }

        if (removeVolumes && record is { Mounts.Count: > 0 })
        {
            RemoveAnonymous(record);
        }
    }

    /// <summary>rm -v and --rm: the anonymous volumes of a container go with it, unless another container uses them.</summary>
    public void RemoveAnonymous(ContainerRecord record)
    {
        foreach (var mount in record.Mounts.Where(m => m.Anonymous && m.Name is not null))
        {
            try
            {
                volumes.Remove(mount.Name!, name => UsedBy(name, except: record.Id));
            }
            catch (EngineException)
            {
                // Still in use elsewhere, or already gone: docker keeps going too.
            }
        }
    }

    private string? UsedBy(string name) => UsedBy(name, except: null);

    private string? UsedBy(string name, string? except) =>
        containers.List().FirstOrDefault(c => c.Id != except && c.Mounts.Any(m => m.Type == MountSpec.Volume && m.Name == name))?.Id;
}
