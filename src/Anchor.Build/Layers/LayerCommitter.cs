using Anchor.Images;
using Anchor.Images.Snapshots;
using Anchor.Oci;

namespace Anchor.Build.Layers;

/// <summary>
/// Stores a finished layer tarball as a blob and unpacks it with <see cref="SnapshotStore.Unpack"/>,
/// so a built layer lives in the same layout as a pulled one (snapshot named by its ChainID).
/// </summary>
public static class LayerCommitter
{
    public static (Descriptor Layer, UnpackResult Snapshot) Commit(ImageStore store, string tarPath, Digest? parentChainId)
    {
        ArgumentNullException.ThrowIfNull(store);
        Digest digest;
        using (var tar = File.OpenRead(tarPath))
        {
            digest = store.Content.Write(tar);
        }

        UnpackResult unpacked;
        using (var blob = store.Content.Open(digest))
        {
            unpacked = store.Snapshots.Unpack(blob, parentChainId, digest);
        }

        return (new Descriptor { MediaType = MediaTypes.OciLayer, Digest = digest, Size = new FileInfo(tarPath).Length }, unpacked);
    }
}
