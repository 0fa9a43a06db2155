using Anchor.Images.Layers;
using Anchor.Oci;
using Anchor.Oci.Image;

namespace Anchor.Images.Archives;

/// <summary>
/// Stores an archive's layer files as blobs and unpacks them as snapshots, checking each DiffID
/// against the config; remembers what it created so a failed load can take it all back
/// (no orphan blobs or snapshots, nothing committed).
/// </summary>
internal sealed class LayerImport(ImageStore store)
{
    private readonly List<Digest> _newBlobs = [];
    private readonly List<Digest> _newSnapshots = [];

    /// <summary>Imports the layers of one image, bottom first; returns their descriptors.</summary>
    public IReadOnlyList<Descriptor> Add(ImageConfig config, IReadOnlyList<string> layerFiles)
    {
        var diffIds = config.RootFs.DiffIds;
        if (diffIds.Count != layerFiles.Count)
        {
            throw new ImageException($"invalid archive: the config lists {diffIds.Count} layers, the manifest {layerFiles.Count}");
        }

        var chainIds = ChainId.Compute(diffIds);
        var descriptors = new List<Descriptor>();
        for (var i = 0; i < layerFiles.Count; i++)
        {
            descriptors.Add(AddBlob(layerFiles[i]));
            if (store.Snapshots.Exists(chainIds[i]))
            {
                // Same ChainID means same content; still, the file must be the layer the config names.
                using var check = Decompressor.Open(File.OpenRead(layerFiles[i]), out _);
                var diffId = Digest.Sha256(check);
                if (diffId != diffIds[i])
                {
                    throw new ImageException($"invalid archive: layer {i + 1} has diff ID {diffId}, the config expects {diffIds[i]}");
                }

                continue;
            }

            using var layer = File.OpenRead(layerFiles[i]);
            var unpacked = store.Snapshots.Unpack(layer, i == 0 ? null : chainIds[i - 1], diffIds[i]);
            if (unpacked.Created)
            {
                _newSnapshots.Add(unpacked.ChainId);
            }
        }

        return descriptors;
    }

    public void Rollback()
    {
        foreach (var chainId in _newSnapshots)
        {
            store.Snapshots.Remove(chainId);
        }

        foreach (var blob in _newBlobs)
        {
            store.Content.Delete(blob);
        }
    }

    public Descriptor AddBlob(string file)
    {
        Compression compression;
        using (var head = File.OpenRead(file))
        {
            var magic = new byte[4];
            compression = Decompressor.Detect(magic.AsSpan(0, head.ReadAtLeast(magic, 4, throwOnEndOfStream: false)));
        }

        Digest digest;
        using (var content = File.OpenRead(file))
        {
            digest = Digest.Sha256(content);
        }

        if (!store.Content.Exists(digest))
        {
            using var content = File.OpenRead(file);
            store.Content.Write(content, digest);
            _newBlobs.Add(digest);
        }

        var mediaType = compression switch
        {
            Compression.Gzip => MediaTypes.OciLayerGzip,
            Compression.Zstd => MediaTypes.OciLayerZstd,
            _ => MediaTypes.OciLayer,
        };
        return new Descriptor { MediaType = mediaType, Digest = digest, Size = new FileInfo(file).Length };
    }

    public void RecordBlob(Digest digest, bool existed)
    {
        if (!existed)
        {
            _newBlobs.Add(digest);
        }
    }
}
