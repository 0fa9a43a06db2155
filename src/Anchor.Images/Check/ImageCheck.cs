using System.Text.Json;
using Anchor.Images.Snapshots;
using Anchor.Oci;
using Anchor.Oci.Image;

namespace Anchor.Images.Check;

/// <summary>
/// The check of one image: its config, its manifest, every blob the manifest names (hashed again)
/// and every unpacked layer (present, complete, of the config's DiffID). With repair, what can be
/// re-derived from what the store still holds is: a snapshot is unpacked again from its blob, and
/// a layer blob that is gone is replaced in the manifest by the uncompressed blob of the same DiffID
/// when the store has it (the next push compresses it again). A compressed blob cannot be re-made
/// bit for bit from an unpacked directory, nor an uncompressed one whose bytes must hash to the
/// DiffID, so those are reported as not repaired. Runs under the images lock (<see cref="ImageStoreCheck"/>).
/// </summary>
internal sealed class ImageCheck(ImageStore store, string id, ImageRecord record, string name, bool repair)
{
    private const string Reload = "pull or load the image again";
    private readonly List<StoreProblem> _problems = [];
    private readonly string _prefix = $"image {name} ({id})";

    /// <summary>The image's record after a repair that replaced its manifest; null when unchanged.</summary>
    public ImageRecord? Repaired { get; private set; }

    public IReadOnlyList<StoreProblem> Run()
    {
        var configDigest = Digest.Parse(id);
        var configState = BlobVerifier.Verify(store.Content, configDigest);
        if (configState != BlobState.Ok)
        {
            Unrepaired($"config {configDigest} {BlobVerifier.Describe(configState)}", Reload);
            return _problems;
        }

        var diffIds = ImageStore.ParseConfig(store.Content.ReadAll(configDigest)).RootFs.DiffIds;
        var manifest = CheckManifest(configDigest, diffIds);
        if (manifest is not null)
        {
            manifest = CheckLayerBlobs(manifest, diffIds);
        }

        CheckSnapshots(diffIds, manifest);
        return _problems;
    }

    private ImageManifest? CheckManifest(Digest configDigest, IReadOnlyList<Digest> diffIds)
    {
        var state = BlobVerifier.Verify(store.Content, record.Manifest);
        string? problem = state == BlobState.Ok ? null : $"manifest {record.Manifest} {BlobVerifier.Describe(state)}";
        ImageManifest? manifest = null;
        if (problem is null)
        {
            try
            {
                manifest = ImageStore.ParseManifest(store.Content.ReadAll(record.Manifest));
                problem = manifest.Config.Digest != configDigest ? $"manifest {record.Manifest} names config {manifest.Config.Digest}"
                    : manifest.Layers.Count != diffIds.Count ? $"manifest {record.Manifest} names {manifest.Layers.Count} layers, the config {diffIds.Count}"
                    : null;
            }
            catch (ImageException e)
            {
                problem = $"manifest {record.Manifest}: {e.Message}";
            }
        }

        if (problem is null)
        {
            return manifest;
        }

        // A manifest can be written anew when every layer's uncompressed blob is here: its
        // descriptors are then the DiffIDs themselves (OCI image spec, config.md "layer DiffID").
        if (!repair)
        {
            _problems.Add(new StoreProblem($"{_prefix}: {problem}"));
            return null;
        }

        if (diffIds.Any(d => BlobVerifier.Verify(store.Content, d) != BlobState.Ok))
        {
            Unrepaired(problem, "the uncompressed layers to write a new manifest from are not in the store; " + Reload);
            return null;
        }

        var rebuilt = new ImageManifest
        {
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest, Size = store.Content.Size(configDigest) },
            Layers = [.. diffIds.Select(d => new Descriptor { MediaType = MediaTypes.OciLayer, Digest = d, Size = store.Content.Size(d) })],
        };
        Replace(rebuilt);
        _problems.Add(new StoreProblem($"{_prefix}: {problem}", true, "wrote a new manifest naming the uncompressed layers"));
        return rebuilt;
    }

    private ImageManifest CheckLayerBlobs(ImageManifest manifest, IReadOnlyList<Digest> diffIds)
    {
        var layers = manifest.Layers.ToArray();
        var changed = false;
        for (var i = 0; i < layers.Length; i++)
        {
            var state = BlobVerifier.Verify(store.Content, layers[i].Digest, layers[i].Size);
            if (state == BlobState.Ok)
            {
                continue;
            }

            var problem = $"layer {layers[i].Digest} {BlobVerifier.Describe(state)}";
            if (!repair)
            {
                _problems.Add(new StoreProblem($"{_prefix}: {problem}"));
            }
            else if (layers[i].Digest != diffIds[i] && BlobVerifier.Verify(store.Content, diffIds[i]) == BlobState.Ok)
            {
                layers[i] = layers[i] with { MediaType = Uncompressed(manifest), Digest = diffIds[i], Size = store.Content.Size(diffIds[i]), Annotations = null };
                changed = true;
                _problems.Add(new StoreProblem($"{_prefix}: {problem}", true, $"the manifest now names the uncompressed layer {diffIds[i]} (a push compresses it again)"));
            }
            else
            {
                Unrepaired(problem, "a layer blob cannot be re-made bit for bit from the unpacked layer; " + Reload);
            }
        }

        if (!changed)
        {
            return manifest;
        }

        var updated = manifest with { Layers = layers };
        Replace(updated);
        return updated;
    }

    private void CheckSnapshots(IReadOnlyList<Digest> diffIds, ImageManifest? manifest)
    {
        Digest? parent = null;
        foreach (var (diffId, i) in diffIds.Select((d, i) => (d, i)))
        {
            var chainId = ChainIds.Next(parent, diffId);
            var problem = SnapshotProblem(chainId, diffId);
            if (problem is not null)
            {
                if (!repair)
                {
                    _problems.Add(new StoreProblem($"{_prefix}: {problem}"));
                }
                else
                {
                    Unpack(problem, chainId, parent, diffId, manifest?.Layers[i].Digest);
                }
            }

            parent = chainId;
        }
    }

    private string? SnapshotProblem(Digest chainId, Digest diffId)
    {
        var info = store.Snapshots.Info(chainId);
        return info is null || !Directory.Exists(store.Snapshots.FsPath(chainId)) ? $"unpacked layer {chainId} (diff {diffId}) missing"
            : info.DiffId != diffId ? $"unpacked layer {chainId} has diff {info.DiffId}, the config says {diffId}"
            : null;
    }

    /// <summary>Unpacks the layer again from the manifest's blob, or the uncompressed blob of its DiffID.</summary>
    private void Unpack(string problem, Digest chainId, Digest? parent, Digest diffId, Digest? blob)
    {
        if (parent is { } p && !store.Snapshots.Exists(p))
        {
            Unrepaired(problem, "the layer below it is missing too");
            return;
        }

        Digest? source = blob is { } b && BlobVerifier.Verify(store.Content, b) == BlobState.Ok ? b
            : BlobVerifier.Verify(store.Content, diffId) == BlobState.Ok ? diffId
            : null;
        if (source is not { } found)
        {
            Unrepaired(problem, "no blob of this layer is in the store; " + Reload);
            return;
        }

        try
        {
            store.Snapshots.Remove(chainId);
            using var layer = store.Content.Open(found);
            store.Snapshots.Unpack(layer, parent, diffId);
            _problems.Add(new StoreProblem($"{_prefix}: {problem}", true, $"unpacked again from blob {found}"));
        }
        catch (Exception e) when (e is ImageException or IOException or UnauthorizedAccessException or Linux.LinuxException)
        {
            Unrepaired(problem, e.Message);
        }
    }

    /// <summary>Stores <paramref name="manifest"/> as the image's; repository digests of the old manifest no longer hold.</summary>
    private void Replace(ImageManifest manifest)
    {
        var current = Repaired ?? record;
        var digest = store.Content.WriteBytes(JsonSerializer.SerializeToUtf8Bytes(manifest, OciJsonContext.Default.ImageManifest));
        var kept = (current.RepoDigests ?? []).Where(d => !d.EndsWith("@" + current.Manifest, StringComparison.Ordinal)).ToList();
        Repaired = current with { Manifest = digest, RepoDigests = kept.Count > 0 ? kept : null };
    }

    private void Unrepaired(string problem, string why) =>
        _problems.Add(new StoreProblem($"{_prefix}: {problem}", false, repair ? why : null));

    private static string Uncompressed(ImageManifest manifest) =>
        manifest.MediaType == MediaTypes.DockerManifest ? MediaTypes.DockerLayer : MediaTypes.OciLayer;
}
