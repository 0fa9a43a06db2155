using Anchor.Oci;
using Anchor.Oci.Image;

namespace Anchor.Images;

/// <summary>
/// After an image is deleted, removes the blobs and snapshots that no remaining image refers to.
/// Runs under the image store lock. Only the deleted image's own content is considered, so blobs
/// and snapshots a concurrent pull wrote before committing its image are never swept.
/// </summary>
internal sealed class ImageGarbageCollector(ImageStore store)
{
    /// <summary>Returns the ChainIDs of the removed snapshots, top layer first (docker prints them so).</summary>
    public IReadOnlyList<Digest> Collect(ImageStoreDocument remaining, StoredImage doomed)
    {
        var blobs = new HashSet<Digest>();
        var chains = new HashSet<Digest>();
        foreach (var (id, record) in remaining.Images)
        {
            var digest = Digest.Parse(id);
            blobs.Add(digest);
            blobs.Add(record.Manifest);
            if (store.ManifestOf(record.Manifest) is { } manifest)
            {
                blobs.UnionWith(manifest.Layers.Select(l => l.Digest));
            }

            if (store.Content.Exists(digest))
            {
                chains.UnionWith(ChainId.Compute(ImageStore.ParseConfig(store.Content.ReadAll(digest)).RootFs.DiffIds));
            }
        }

        foreach (var blob in doomed.Manifest.Layers.Select(l => l.Digest).Append(doomed.ManifestDigest).Append(doomed.Id))
        {
            if (!blobs.Contains(blob))
            {
                store.Content.Delete(blob);
            }
        }

        var removed = new List<Digest>();
        foreach (var chainId in doomed.ChainIds.Reverse())
        {
            if (!chains.Contains(chainId))
            {
                store.Snapshots.Remove(chainId);
                removed.Add(chainId);
            }
        }

        return removed;
    }
}
