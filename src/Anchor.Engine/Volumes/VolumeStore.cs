using System.Text.Json;
using Anchor.Engine.State;
using Anchor.Linux;

namespace Anchor.Engine.Volumes;

/// <summary>
/// Named volumes of the local driver under ROOT/volumes: one directory per volume holding _data
/// and volume.json. Creation and removal happen under ROOT/volumes/lock.
/// </summary>
public sealed class VolumeStore(AnchorPaths paths)
{
    private string Root => Path.Combine(paths.Root, "volumes");

    private string LockPath => Path.Combine(Root, "lock");

    public string DataPath(string name) => Path.Combine(Root, name, "_data");

    /// <summary>Creates the volume if it does not exist; returns it and whether it is new.</summary>
    public (VolumeRecord Volume, bool Created) Ensure(string name, bool anonymous = false, Dictionary<string, string>? labels = null)
    {
        if (!MountSpecParser.VolumeName().IsMatch(name))
        {
            throw new EngineException($"create {name}: \"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed");
        }

        PrivateDirectory.Create(Root);
        using var _ = FileLock.Exclusive(LockPath);
        if (Get(name) is { } existing)
        {
            return (existing, false);
        }

        var record = new VolumeRecord
        {
            Name = name,
            Mountpoint = DataPath(name),
            CreatedAt = DateTimeOffset.UtcNow,
            Labels = labels,
            Anonymous = anonymous,
        };
        Directory.CreateDirectory(record.Mountpoint);
        AtomicFile.WriteAllBytes(Path.Combine(Root, name, "volume.json"), JsonSerializer.SerializeToUtf8Bytes(record, EngineJsonContext.Default.VolumeRecord));
        Events.EventLog.Emit(paths, Events.EventLog.Volume(name, "create"));
        return (record, true);
    }

    public VolumeRecord? Get(string name)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(Root, name, "volume.json")), EngineJsonContext.Default.VolumeRecord);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The daemon's "get NAME: no such volume" (docker's client words it "Error: No such volume: NAME").</summary>
    public static EngineException NoSuchVolume(string name) => EngineException.Daemon(EngineErrorKind.NotFound, $"get {name}: no such volume", 1);

    public IReadOnlyList<VolumeRecord> List() =>
        !Directory.Exists(Root) ? [] : [.. Directory.EnumerateDirectories(Root).Select(d => Get(Path.GetFileName(d))).OfType<VolumeRecord>().OrderBy(v => v.Name, StringComparer.Ordinal)];

    /// <summary>Removes a volume no container uses (<paramref name="usedBy"/> names one that does).</summary>
    public void Remove(string name, Func<string, string?> usedBy)
    {
        if (!Directory.Exists(Root))
        {
            // A store that never had a volume has no lock file either: nothing to remove.
            throw NoSuchVolume(name);
        }

        using var _ = FileLock.Exclusive(LockPath);
        if (Get(name) is null)
        {
            throw NoSuchVolume(name);
        }

        if (usedBy(name) is { } container)
        {
            throw EngineException.Daemon(EngineErrorKind.Conflict, $"remove {name}: volume is in use - [{container}]", 1);
        }

        // One rename into the trash: a crash half-way leaves no volume that looks complete.
        var trash = new Trash(paths);
        trash.Put(Path.Combine(Root, name), "volume-" + name);
        Events.EventLog.Emit(paths, Events.EventLog.Volume(name, "destroy"));
        trash.StartReaper();
    }
}
