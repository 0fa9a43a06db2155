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
    /// <summary>The store this record set belongs to (events are journaled beside it).</summary>
    public AnchorPaths Paths => paths;

    private const string RecordFile = "container.json";

    private ContainerNames Names => new(Path.Combine(paths.Root, "container-names"));

    /// <summary>Reserves the name and writes the record; the container directory is created here.</summary>
    public ContainerRecord Create(ContainerRecord record)
    {
        if (!NamePattern().IsMatch(record.Name))
        {
            // The daemon's check (moby daemon/names.go reserveName), not the CLI's.
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"Invalid container name ({record.Name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }

        PrivateDirectory.Create(paths.Containers);
        using var _ = FileLock.Exclusive(paths.ContainersLock);
        var names = IndexedNames();
        if (Holder(names, record.Name) is { } clash)
        {
            // The daemon's words, as docker run and create print them after "docker: ".
            throw EngineException.Daemon(EngineErrorKind.Conflict,
                $"Conflict. The container name \"/{record.Name}\" is already in use by container \"{clash.Id}\". You have to remove (or rename) that container to be able to reuse that name.");
        }

        names.Claim(record.Name, record.Id);
        PrivateDirectory.Create(paths.ContainerDirectory(record.Id));
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

    /// <summary>Whether the container's directory holds its record (one stat, no parse).</summary>
    public bool HasRecord(string id) => File.Exists(Path.Combine(paths.ContainerDirectory(id), RecordFile));

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

    /// <summary>The name index, built first if this store predates it (call under the lock).</summary>
    private ContainerNames IndexedNames()
    {
        var names = Names;
        if (!names.Exists)
        {
            names.Build(List());
        }

        return names;
    }

    /// <summary>The container that has <paramref name="name"/> according to the index, checked against its record.</summary>
    private ContainerRecord? Holder(ContainerNames names, string name) =>
        names.Owner(name) is { } owner && Get(owner) is { } record && record.Name == name ? record : null;

    /// <summary>Finds by full ID, name, or unique ID prefix, as every docker verb accepts.</summary>
    public ContainerRecord Find(string nameOrId)
    {
        // The common cases without reading every record: a full ID, or a name the index knows.
        if (nameOrId.Length == 64 && Get(nameOrId) is { } byId)
        {
            return byId;
        }

        var names = Names;
        if (names.Exists)
        {
            if (Holder(names, nameOrId.TrimStart('/')) is { } byName)
            {
                return byName;
            }

            var candidates = Directory.Exists(paths.Containers)
                ? Directory.EnumerateDirectories(paths.Containers).Select(Path.GetFileName).Where(n => n!.StartsWith(nameOrId, StringComparison.Ordinal)).ToList()
                : [];
            var found = candidates.Select(n => Get(n!)).OfType<ContainerRecord>().ToList();
            return found.Count switch
            {
                1 => found[0],
                0 => throw EngineException.NoSuchContainer(nameOrId),
                _ => throw new EngineException($"multiple containers found with provided prefix: {nameOrId}", 1),
            };
        }

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
            0 => throw EngineException.NoSuchContainer(nameOrId),
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
        var names = IndexedNames();
        if (Holder(names, newName) is { } clash)
        {
            throw new EngineException($"Error when allocating new name: Conflict. The container name \"/{newName}\" is already in use by container \"{clash.Id}\". You have to remove (or rename) that container to be able to reuse that name.", 1);
        }

        var current = Read(Path.Combine(paths.ContainerDirectory(id), RecordFile)) ?? throw EngineException.NoSuchContainer(id);
        names.Claim(newName, id);
        Save(current with { Name = newName }, durable: true);
        names.Release(current.Name, id);
    }

    /// <summary>
    /// Removes the record and the container directory (upper layer, generated files): one rename
    /// into the trash under the lock, so the container is gone for every verb at once and a crash
    /// never leaves a record pointing at a partial directory; the reaper deletes the files.
    /// </summary>
    /// <param name="reap">False to leave the trash to a later reaper (unit tests, which start no processes).</param>
    /// <param name="knownName">The name the caller believes the container has: used when the name
    /// index still gives it to this container, else (renamed meanwhile) the record is read.</param>
    public void Delete(string id, bool reap = true, string? knownName = null)
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

            var name = !string.IsNullOrEmpty(knownName) && Names.Owner(knownName) == id ? knownName : Get(id)?.Name;
            // A directory claimed by a run that failed before writing anything is empty: no reaper for that.
            var empty = Linux.Interop.LibC.rmdir(dir) == 0;
            if (!empty)
            {
                trash.Put(dir, "container-" + id[..Math.Min(12, id.Length)]);
            }

            if (!string.IsNullOrEmpty(name))
            {
                Names.Release(name, id);
            }

            new Userns.UserNamespaceRanges(paths).Release(id); // --userns=auto: its host ids are free again
            if (empty)
            {
                return;
            }
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
            JsonSerializer.SerializeToUtf8Bytes(record, RecordWriteJsonContext.Default.ContainerRecord),
            durable,
            FileModes.PrivateFile); // the record holds the -e values

    // moby daemon/names: validContainerNamePattern.
    [GeneratedRegex("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex NamePattern();
}
