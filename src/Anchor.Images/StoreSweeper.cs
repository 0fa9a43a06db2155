using System.Globalization;
using System.Text.Json;
using Anchor.Images.Cache;
using Anchor.Linux;
using Anchor.Oci;
using Anchor.Oci.Image;

namespace Anchor.Images;

/// <summary>
/// Reclaims what killed processes left in the store. Temporaries (ingest/, tmp/, snapshots/.tmp-*,
/// the write-then-rename files of images.json and the cache index) carry their owner in their
/// name and are removed once the owner is dead. Complete blobs and snapshots that no image and no
/// build-cache entry refers to (a load, pull, build or commit killed between writing content and
/// recording it) are collected only while no writer is alive (<see cref="WriterLease"/>), and
/// cache entries whose config blob or snapshots are gone are dropped, so no entry points at
/// missing content. Anything that cannot be read whole (a damaged images.json) stops the
/// collection: nothing is deleted on partial knowledge.
/// </summary>
internal sealed class StoreSweeper(ImageStore store)
{
    /// <summary>Removes the temporaries whose owner is dead (safe at any time: a live owner's are never touched).</summary>
    public void RemoveDeadTemporaries() => RemoveTemporaries(unlessAlive: false);

    /// <summary>
    /// With no writer alive (the caller holds the writers lock exclusively): every temporary no live
    /// process owns, and every blob and snapshot nothing refers to. Best effort: a failure leaves
    /// the rest for the next collection.
    /// </summary>
    public void Collect()
    {
        try
        {
            RemoveTemporaries(unlessAlive: true);
            using var images = store.LockImages();
            if (Mark() is not var (blobs, chains))
            {
                return;
            }

            foreach (var blob in store.Content.List().Where(b => !blobs.Contains(b)).ToList())
            {
                store.Content.Delete(blob);
            }

            foreach (var chainId in store.Snapshots.ListDirectories().Where(c => !chains.Contains(c)).ToList())
            {
                store.Snapshots.Remove(chainId);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or ImageException or LinuxException)
        {
            // Whatever is left is found again by the next collection.
        }
    }

    /// <summary>
    /// The blobs and snapshots that images and build-cache entries refer to; null when some image
    /// cannot be read (then nothing may be deleted). Drops cache entries whose content is gone.
    /// </summary>
    private (HashSet<Digest> Blobs, HashSet<Digest> Chains)? Mark()
    {
        var blobs = new HashSet<Digest>();
        var chains = new HashSet<Digest>();
        foreach (var (id, record) in store.Read().Images)
        {
            var config = Digest.Parse(id);
            if (!store.Content.Exists(config) || store.ManifestOf(record.Manifest) is not { } manifest)
            {
                return null; // An image with missing documents: leave everything as it is.
            }

            blobs.Add(config);
            blobs.Add(record.Manifest);
            blobs.UnionWith(manifest.Layers.Select(l => l.Digest));
            chains.UnionWith(ChainId.Compute(ImageStore.ParseConfig(store.Content.ReadAll(config)).RootFs.DiffIds));
        }

        // A cached step is its config blob, its snapshots and the layer blobs it added (built layers
        // are stored uncompressed: the blob digest is the DiffID); FromCache needs nothing more.
        store.BuildCache.Retain((_, value) =>
        {
            if (!Digest.TryParse(value, out var config) || !store.Content.Exists(config))
            {
                return false;
            }

            IReadOnlyList<Digest> diffIds;
            try
            {
                diffIds = ImageStore.ParseConfig(store.Content.ReadAll(config)).RootFs.DiffIds;
            }
            catch (ImageException)
            {
                return false;
            }

            var chain = ChainId.Compute(diffIds);
            if (chain.Any(c => !store.Snapshots.Exists(c)))
            {
                return false;
            }

            blobs.Add(config);
            blobs.UnionWith(diffIds);
            chains.UnionWith(chain);
            return true;
        });
        return (blobs, chains);
    }

    private void RemoveTemporaries(bool unlessAlive)
    {
        foreach (var dir in (string[])[store.Content.IngestDir, store.TempDir])
        {
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
            {
                if (TempName.IsReclaimable(Path.GetFileName(entry), unlessAlive))
                {
                    Delete(entry);
                }
            }
        }

        store.Snapshots.RemoveStaleTemporaries(unlessAlive);
        foreach (var dir in (string[])[store.ImagesDir, store.BuildCache.Dir])
        {
            RemoveAtomicFileTemporaries(dir);
        }
    }

    /// <summary>AtomicFile's <c>.NAME.PID.THREAD.tmp</c> files whose pid is gone (a writer killed before its rename).</summary>
    private static void RemoveAtomicFileTemporaries(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(dir, ".*.tmp"))
        {
            var parts = Path.GetFileName(file).Split('.');
            if (parts.Length >= 5 && int.TryParse(parts[^3], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                Delete(file);
            }
        }
    }

    private static void Delete(string path)
    {
        try
        {
            if (Directory.Exists(path) && !File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
        }
    }
}
