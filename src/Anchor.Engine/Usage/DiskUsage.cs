using Anchor.Engine.Containers;
using Anchor.Engine.Volumes;
using Anchor.Images;

namespace Anchor.Engine.Usage;

/// <summary>
/// What `system df` reports (moby daemon/disk_usage.go and docker/cli formatter/disk_usage.go):
/// images with their own and shared sizes, containers with their writable layer's size, volumes
/// with their data's size and the containers that use them.
/// </summary>
public sealed record DiskUsage(IReadOnlyList<DiskUsage.ImageUsage> Images, IReadOnlyList<DiskUsage.ContainerUsage> Containers, IReadOnlyList<DiskUsage.VolumeUsage> Volumes)
{
    public sealed record ImageUsage(StoredImage Image, long Size, long SharedSize, int Containers);

    public sealed record ContainerUsage(ContainerRecord Record, long SizeRw);

    public sealed record VolumeUsage(VolumeRecord Volume, long Size, int Links);

    /// <summary>Every layer counted once (docker's LayersSize).</summary>
    public long ImagesSize { get; init; }

    public static DiskUsage Measure(AnchorEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var containers = engine.Containers.List().Select(ProcessLiveness.Refresh).ToList();
        var images = engine.Images.List();
        var layerUsers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            foreach (var chain in image.ChainIds.Distinct())
            {
                layerUsers[chain.ToString()] = layerUsers.GetValueOrDefault(chain.ToString()) + 1;
            }
        }

        var layerSizes = new Dictionary<string, long>(StringComparer.Ordinal);
        long LayerSize(Oci.Digest chain) =>
            layerSizes.TryGetValue(chain.ToString(), out var size) ? size : layerSizes[chain.ToString()] = engine.Images.Snapshots.Info(chain)?.Size ?? 0;

        var imageRows = images.Select(i => new ImageUsage(
            i,
            i.ChainIds.Distinct().Sum(LayerSize),
            i.ChainIds.Distinct().Where(c => layerUsers[c.ToString()] > 1).Sum(LayerSize),
            containers.Count(c => c.ImageId == i.Id.ToString()))).ToList();
        var containerRows = containers.Select(c => new ContainerUsage(c, DirectorySize.Of(Path.Combine(engine.Paths.ContainerDirectory(c.Id), "upper")))).ToList();
        var volumeRows = engine.Volumes.List().Select(v => new VolumeUsage(
            v,
            DirectorySize.Of(v.Mountpoint),
            containers.Count(c => c.Mounts.Any(m => m.Type == MountSpec.Volume && m.Name == v.Name)))).ToList();
        return new DiskUsage(imageRows, containerRows, volumeRows) { ImagesSize = layerSizes.Values.Sum() };
    }

    /// <summary>docker's active container: running, paused or restarting.</summary>
    public static bool IsActive(ContainerRecord record) =>
        record.Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting;
}
