using System.Text.Json;
using Anchor.Linux;

namespace Anchor.Build.Cache;

/// <summary>
/// <c>ROOT/build-cache/index.json</c>: cache key → the image config digest the step produced.
/// Changed only under an flock on <c>ROOT/build-cache/lock</c> and written with write+fsync+rename,
/// so concurrent builds never lose an entry or read a torn file.
/// </summary>
public sealed class CacheIndex(string storeRoot)
{
    private readonly string _dir = Path.Combine(storeRoot, "build-cache");

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
        AtomicFile.WriteAllBytes(FilePath, JsonSerializer.SerializeToUtf8Bytes(entries, BuildJsonContext.Default.DictionaryStringString), durable: false);
    }

    private Dictionary<string, string> Read()
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(FilePath), BuildJsonContext.Default.DictionaryStringString) ?? [];
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
