using System.Text.Json;
using System.Text.RegularExpressions;
using Anchor.Engine.State;
using Anchor.Linux;

namespace Anchor.Engine.Containers;

/// <summary>
/// Container records, one JSON file per container, changed only under the containers lock
/// (flock) with atomic renames, so concurrent anchor processes never see a torn or duplicate name.
/// </summary>
public sealed partial class ContainerStore(AnchorPaths paths)
{
    private const string RecordFile = "container.json";

    /// <summary>Reserves the name and writes the record; the container directory is created here.</summary>
    public ContainerRecord Create(ContainerRecord record)
    {
        if (!NamePattern().IsMatch(record.Name))
        {
            throw new EngineException($"Invalid container name ({record.Name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }

        Directory.CreateDirectory(paths.Containers);
        using var _ = FileLock.Exclusive(paths.ContainersLock);
        var clash = List().FirstOrDefault(c => c.Name == record.Name);
        if (clash is not null)
        {
            throw new EngineException(
                $"Conflict. The container name \"/{record.Name}\" is already in use by container \"{clash.Id}\". You have to remove (or rename) that container to be able to reuse that name.");
        }

        Directory.CreateDirectory(paths.ContainerDirectory(record.Id));
        Save(record, durable: !record.AutoRemove);
        return record;
    }

    /// <summary>Creates a record with a generated name that no other container has.</summary>
    public ContainerRecord CreateWithGeneratedName(ContainerRecord record)
    {
        for (var attempt = 0; ; attempt++)
        {
            var name = NameGenerator.Next();
            if (attempt > 5)
            {
                name += attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            try
            {
                return Create(record with { Name = name });
            }
            catch (EngineException) when (attempt < 20)
            {
            }
        }
    }

    /// <param name="durable">False for transient states (running) and --rm containers: atomic, not flushed.</param>
    public void Update(ContainerRecord record, bool durable = true)
    {
        using var _ = FileLock.Exclusive(paths.ContainersLock);
        if (Directory.Exists(paths.ContainerDirectory(record.Id)))
        {
            Save(record, durable);
        }
    }

    /// <summary>
    /// Read-modify-write of one record under the lock, so that concurrent writers (the monitor
    /// recording an exit, stop marking the container as stopped) never lose each other's change.
    /// Returns null when the container no longer exists.
    /// </summary>
    public ContainerRecord? Modify(string id, Func<ContainerRecord, ContainerRecord> change, bool durable = true)
    {
        using var _ = FileLock.Exclusive(paths.ContainersLock);
        var current = Read(Path.Combine(paths.ContainerDirectory(id), RecordFile));
        if (current is null)
        {
            return null;
        }

        var updated = change(current);
        Save(updated, durable);
        return updated;
    }

    public ContainerRecord? Get(string id) => Read(Path.Combine(paths.ContainerDirectory(id), RecordFile));

    private static ContainerRecord? Read(string file)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(file), EngineJsonContext.Default.ContainerRecord);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public IReadOnlyList<ContainerRecord> List()
    {
        if (!Directory.Exists(paths.Containers))
        {
            return [];
        }

        var records = new List<ContainerRecord>();
        foreach (var dir in Directory.EnumerateDirectories(paths.Containers))
        {
            // Null: being created or removed right now.
            if (Read(Path.Combine(dir, RecordFile)) is { } record)
            {
                records.Add(record);
            }
        }

        return records;
    }

    /// <summary>Finds by full ID, name, or unique ID prefix, as every docker verb accepts.</summary>
    public ContainerRecord Find(string nameOrId)
    {
        var all = List();
        var exact = all.FirstOrDefault(c => c.Id == nameOrId || c.Name == nameOrId.TrimStart('/'));
        if (exact is not null)
        {
            return exact;
        }

        var matches = all.Where(c => c.Id.StartsWith(nameOrId, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new EngineException($"No such container: {nameOrId}", 1),
            _ => throw new EngineException($"multiple containers found with provided prefix: {nameOrId}", 1),
        };
    }

    /// <summary>docker rename: the new name must be valid and free, checked under the lock.</summary>
    public void Rename(string id, string newName)
    {
        newName = newName.TrimStart('/');
        if (!NamePattern().IsMatch(newName))
        {
            throw new EngineException($"Invalid container name ({newName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", 1);
        }

        using var _ = FileLock.Exclusive(paths.ContainersLock);
        var clash = List().FirstOrDefault(c => c.Name == newName);
        if (clash is not null)
        {
            throw new EngineException($"Error when allocating new name: Conflict. The container name \"/{newName}\" is already in use by container \"{clash.Id}\". You have to remove (or rename) that container to be able to reuse that name.", 1);
        }

        var current = Read(Path.Combine(paths.ContainerDirectory(id), RecordFile)) ?? throw new EngineException($"No such container: {id}", 1);
        Save(current with { Name = newName }, durable: true);
    }

    /// <summary>
    /// Removes the record and the container directory (upper layer, generated files): one rename
    /// into the trash under the lock, so the container is gone for every verb at once and a crash
    /// never leaves a record pointing at a partial directory; the reaper deletes the files.
    /// </summary>
    /// <param name="reap">False when the caller has a reaper waiting (<see cref="Trash.StartPendingReaper"/>).</param>
    public void Delete(string id, bool reap = true)
    {
        // Nothing was ever created (say, run failed before its record): no lock file to take.
        if (!Directory.Exists(paths.Containers))
        {
            return;
        }

        var trash = new Trash(paths);
        using (FileLock.Exclusive(paths.ContainersLock))
        {
            var dir = paths.ContainerDirectory(id);
            if (!Directory.Exists(dir))
            {
                return;
            }

            trash.Put(dir, "container-" + id[..Math.Min(12, id.Length)]);
        }

        PhaseTrace.Mark("containers: moved to trash");
        if (reap)
        {
            trash.StartReaper();
        }
    }

    private void Save(ContainerRecord record, bool durable) =>
        AtomicFile.WriteAllBytes(
            Path.Combine(paths.ContainerDirectory(record.Id), RecordFile),
            JsonSerializer.SerializeToUtf8Bytes(record, EngineJsonContext.Default.ContainerRecord),
            durable);

    // moby daemon/names: validContainerNamePattern.
    [GeneratedRegex("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex NamePattern();
}
