using Anchor.Engine.Containers;

namespace Anchor.Engine.Usage;

/// <summary>
/// A container's sizes as docker reports them for <c>ps -s</c> and <c>inspect -s</c>
/// (daemon/images/image_unix.go GetContainerLayerSize): SizeRw is what the container wrote (its
/// upper directory), SizeRootFs the whole filesystem it sees (its image's layers plus SizeRw).
/// </summary>
public sealed record ContainerSize(long SizeRw, long SizeRootFs)
{
    public static ContainerSize Of(AnchorEngine engine, ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(record);
        var rw = DirectorySize.Of(Path.Combine(engine.Paths.ContainerDirectory(record.Id), "upper"));
        var image = engine.Images.List().FirstOrDefault(i => i.Id.ToString() == record.ImageId);
        var layers = image?.ChainIds.Distinct().Sum(chain => engine.Images.Snapshots.Info(chain)?.Size ?? 0) ?? 0;
        return new ContainerSize(rw, layers + rw);
    }
}
