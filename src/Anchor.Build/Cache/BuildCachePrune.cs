using Anchor.Build.Mounts;
using Anchor.Images;
using Anchor.Linux;

namespace Anchor.Build.Cache;

/// <summary>
/// <c>anchor builder prune</c>: the build cache is the RUN <c>--mount=type=cache</c> directories
/// and the step cache (a key → config index); both go. A cache directory a running build holds
/// locked (sharing=locked or private) is left alone. Layers and configs the step cache kept alive
/// become unreferenced and are reclaimed by the store's collector as any other.
/// </summary>
public static class BuildCachePrune
{
    /// <summary>Removes the build cache; returns the removed records (cache directories' names, step configs' digests) and the bytes the directories held.</summary>
    public static (IReadOnlyList<string> Removed, long Reclaimed) Prune(ImageStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var removed = new List<string>();
        long reclaimed = 0;
        var root = Path.GetDirectoryName(RunMountSet.CacheDirectory(store, ""))!;
        if (Directory.Exists(root))
        {
            foreach (var directory in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
            {
                if (Path.GetFileName(directory).Contains(".new-", StringComparison.Ordinal))
                {
                    continue; // Being made by a build right now (RunMountSet renames it in place).
                }

                using var held = FileLock.TryExclusive(directory + ".lock");
                if (held is null)
                {
                    continue;
                }

                reclaimed += SizeOf(new DirectoryInfo(directory));
                Directory.Delete(directory, recursive: true);
                File.Delete(directory + ".lock");
                removed.Add(Path.GetFileName(directory));
            }
        }

        foreach (var entry in store.BuildCache.Clear())
        {
            removed.Add(entry);
        }

        return (removed, reclaimed);
    }

    /// <summary>The bytes of the regular files below a directory, links not followed.</summary>
    private static long SizeOf(DirectoryInfo directory)
    {
        long total = 0;
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null)
            {
                continue;
            }

            total += entry switch
            {
                FileInfo file => file.Length,
                DirectoryInfo child => SizeOf(child),
                _ => 0,
            };
        }

        return total;
    }
}
