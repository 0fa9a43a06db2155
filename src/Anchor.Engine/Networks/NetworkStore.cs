using System.Text.Json;
using Anchor.Engine.State;
using Anchor.Linux;

namespace Anchor.Engine.Networks;

/// <summary>
/// Networks and endpoints in one file, ROOT/networks/networks.json, changed only by
/// <see cref="Modify{T}"/>: a read-modify-write under ROOT/networks/lock with an atomic rename, so
/// concurrent anchor processes never lease the same address or host port.
/// </summary>
public sealed class NetworkStore(AnchorPaths paths)
{
    private string Root => Path.Combine(paths.Root, "networks");

    private string StateFile => Path.Combine(Root, "networks.json");

    private string LockPath => Path.Combine(Root, "lock");

    /// <summary>A consistent snapshot without the lock (writes are atomic renames).</summary>
    public NetworkState Read()
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(StateFile), EngineJsonContext.Default.NetworkState) ?? new NetworkState();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new NetworkState();
        }
    }

    /// <summary>
    /// One transaction: <paramref name="change"/> sees the current state and may change it; the
    /// state is written back only if it returns without throwing. Without <paramref name="durable"/>
    /// the rename is still atomic but not fsynced: endpoints (leases) are runtime state that a crash
    /// or reboot makes stale anyway, and two fsyncs per container start and stop cost milliseconds.
    /// </summary>
    public T Modify<T>(Func<NetworkState, T> change, bool durable = true)
    {
        PrivateDirectory.Create(Root);
        using var _ = FileLock.Exclusive(LockPath);
        var state = Read();
        var result = change(state);
        AtomicFile.WriteAllBytes(StateFile, JsonSerializer.SerializeToUtf8Bytes(state, EngineJsonContext.Default.NetworkState), durable);
        return result;
    }

    public IReadOnlyList<NetworkRecord> List() => [.. Read().All()];

    /// <summary>By exact name, exact ID, or unique ID prefix (docker's order); null when none or ambiguous.</summary>
    public static NetworkRecord? Find(NetworkState state, string nameOrId)
    {
        var all = state.All().ToList();
        var exact = all.FirstOrDefault(n => n.Name == nameOrId) ?? all.FirstOrDefault(n => n.Id == nameOrId);
        if (exact is not null)
        {
            return exact;
        }

        var matches = all.Where(n => n.Id.StartsWith(nameOrId, StringComparison.Ordinal)).ToList();
        return matches.Count == 1 && nameOrId.Length > 0 ? matches[0] : null;
    }

    public NetworkRecord? Find(string nameOrId) => Find(Read(), nameOrId);

    /// <summary>Find, or docker's "network NAME not found".</summary>
    public static NetworkRecord Get(NetworkState state, string nameOrId, int exitCode = ExitCodes.EngineError) =>
        Find(state, nameOrId) ?? throw EngineException.Daemon(EngineErrorKind.NotFound, $"network {nameOrId} not found", exitCode);
}
