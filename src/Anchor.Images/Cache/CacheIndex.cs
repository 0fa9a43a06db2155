using System.Text.Json;
using Anchor.Linux;

namespace Anchor.Images.Cache;

/// <summary>
/// <c>ROOT/build-cache/index.json</c>: build cache key → the image config digest the step produced
/// (a blob, not an image). It lives with the image store because its entries keep content alive:
/// the store's collector counts them as references and drops those whose content is gone.
/// Changed only under an flock on <c>ROOT/build-cache/lock</c> and written with write+rename,
/// so concurrent builds never lose an entry or read a torn file.
/// </summary>
public sealed class CacheIndex(string storeRoot)
{
    private readonly string _dir = Path.Combine(storeRoot, "build-cache");

    internal string Dir => _dir;

    private string FilePath => Path.Combine(_dir, "index.json");

    public string? Find(string key)
    {
        var entries = Read();
        return entries.TryGetValue(key, out var id) ? id : null;
    }

    public void Put(string key, string imageId)
    {
        PrivateDirectory.Create(_dir);
        using var held = FileLock.Exclusive(Path.Combine(_dir, "lock"));
        var entries = Read();
        entries[key] = imageId;
        Save(entries);
    }

    /// <summary>Keeps the entries <paramref name="keep"/> accepts (key, config digest), under the lock; returns the kept ones.</summary>
    internal IReadOnlyDictionary<string, string> Retain(Func<string, string, bool> keep)
    {
        if (!Directory.Exists(_dir))
        {
            return new Dictionary<string, string>();
        }

        using var held = FileLock.Exclusive(Path.Combine(_dir, "lock"));
        var entries = Read();
        var kept = entries.Where(e => keep(e.Key, e.Value)).ToDictionary(StringComparer.Ordinal);
        if (kept.Count != entries.Count)
        {
            Save(kept);
        }

        return kept;
    }

    /// <summary>Removes every entry (<c>builder prune</c>), under the lock; returns the config digests they named, each once.</summary>
    public IReadOnlyList<string> Clear()
    {
        var removed = new SortedSet<string>(StringComparer.Ordinal);
        Retain((_, configId) =>
        {
            removed.Add(configId);
            return false;
        });
        return [.. removed];
    }

    private void Save(Dictionary<string, string> entries) =>
        AtomicFile.WriteAllBytes(FilePath, JsonSerializer.SerializeToUtf8Bytes(entries, ImagesJsonContext.Default.DictionaryStringString), durable: false);

    private Dictionary<string, string> Read()
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(FilePath), ImagesJsonContext.Default.DictionaryStringString) ?? [];
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        catch (JsonException)
        {
            return []; // A damaged index only costs a rebuild.
        }
    }
}
