using Anchor.Build.Context;
using Anchor.Build.Layers;
using Anchor.Engine.Run;
using Anchor.Images;
using Anchor.Oci;
using Anchor.Oci.Image;
using Anchor.Oci.Reference;

namespace Anchor.Engine.Containers;

/// <summary>
/// <c>anchor diff</c> and <c>anchor commit</c>: a container's changes are its overlay upper
/// directory (ROOT/containers/ID/upper) against the layers of its image.
/// </summary>
public sealed class ContainerChanges(AnchorPaths paths, ImageStore images, ContainerStore containers)
{
    /// <summary>docker diff: "C /etc", "A /etc/new", "D /tmp/gone", sorted by path.</summary>
    public IReadOnlyList<UpperDirLayer.Change> Diff(string nameOrId)
    {
        var (record, image) = Resolve(nameOrId);
        var upper = new ContainerFiles(paths.ContainerDirectory(record.Id)).Upper;
        return Directory.Exists(upper) ? UpperDirLayer.Changes(upper, new LayerTree(images.LayerPaths(image))) : [];
    }

    /// <summary>
    /// docker commit: the image plus one layer of the container's changes, with the config docker
    /// gives it (<see cref="Images.CommitConfig"/>); returns the new image ID. With
    /// <paramref name="pause"/> (docker's default) a running container's cgroup is frozen while its
    /// upper directory is read, so the layer is one consistent moment of its files.
    /// </summary>
    public Digest Commit(string nameOrId, string? reference, string? message, string? author, IReadOnlyList<string> changes, bool pause)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ImageReference? tag = null;
        if (reference is not null)
        {
            if (!ImageReference.TryParse(reference, out var parsed, out var error))
            {
                throw new EngineException(error);
            }

            tag = parsed.Tag is null && parsed.Digest is null ? parsed with { Tag = "latest" } : parsed;
        }

        // docker's client checks the reference; moby's CreateImageFromContainer then looks the
        // container up before it applies the changes.
        var (record, image) = Resolve(nameOrId);
        var userConfig = Images.ConfigChanges.Apply(new ContainerConfig(), changes);

        var upper = new ContainerFiles(paths.ContainerDirectory(record.Id)).Upper;
        using var lease = images.BeginWrite();
        var tar = images.NewTempFile("layer");
        try
        {
            using (var writer = new LayerTarWriter(tar))
            using (pause ? FrozenContainer.Freeze(record) : null)
            {
                if (Directory.Exists(upper))
                {
                    UpperDirLayer.Write(upper, writer);
                }
            }

            var parent = image.ChainIds.Count == 0 ? (Digest?)null : image.ChainIds[^1];
            var (layer, snapshot) = LayerCommitter.Commit(images, tar, parent);
            var now = DateTimeOffset.UtcNow;
            var config = image.Config with
            {
                Created = now,
                Author = author ?? image.Config.Author,
                Config = Images.CommitConfig.Merge(userConfig, Images.CommitConfig.OfContainer(image.Config.Config ?? new ContainerConfig(), record)),
                RootFs = new RootFs { DiffIds = [.. image.Config.RootFs.DiffIds, snapshot.DiffId] },
                History = [.. image.Config.History ?? [], new History { Created = now, CreatedBy = string.Join(' ', record.Command), Comment = message }],
            };
            var manifest = image.Manifest with { Layers = [.. image.Manifest.Layers, layer] };
            return images.Commit(manifest, config, tag is null ? [] : [tag]).Id;
        }
        catch (ImageException e)
        {
            throw new EngineException(e.Message);
        }
        finally
        {
            File.Delete(tar);
        }
    }

    private (ContainerRecord Record, StoredImage Image) Resolve(string nameOrId)
    {
        ContainerRecord record;
        try
        {
            record = containers.Find(nameOrId);
        }
        catch (EngineException e) when (e.NotFound)
        {
            // docker's diff and commit ask the daemon, which reports the missing container.
            throw e.AsDaemon();
        }

        var image = Oci.Digest.TryParse(record.ImageId, out var id) && images.Find(id.ToString()) is { } found
            ? found
            : throw new EngineException($"No such image: {record.ImageId} (the image of container {record.Id[..12]})");
        return (record, image);
    }
}
