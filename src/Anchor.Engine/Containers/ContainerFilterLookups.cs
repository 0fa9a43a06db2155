using Anchor.Images;

namespace Anchor.Engine.Containers;

/// <summary>The store-backed <see cref="ContainerFilterContext"/> of ps.</summary>
public static class ContainerFilterLookups
{
    public static ContainerFilterContext Of(ImageStore images, ContainerStore containers)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(containers);
        var all = new Lazy<IReadOnlyList<StoredImage>>(images.List);
        return new ContainerFilterContext(
            name =>
            {
                try
                {
                    return containers.Find(name);
                }
                catch (EngineException e)
                {
                    throw EngineException.Daemon(e.Kind, e.Message, 1);
                }
            },
            record => Labels(all.Value, record),
            value => Ancestor(images, all.Value, value));
    }

    /// <summary>
    /// A container's labels: its --label/--label-file merged over its image's at create (docker copies
    /// them into the container's config), or the image's for a record made before labels were kept.
    /// </summary>
    private static IReadOnlyDictionary<string, string>? Labels(IReadOnlyList<StoredImage> images, ContainerRecord record) =>
        record.Options?.Labels ?? images.FirstOrDefault(i => i.Id.ToString() == record.ImageId)?.Config.Config?.Labels;

    /// <summary>
    /// docker's ancestor=: the image, or any image whose layers start with all of its layers (built
    /// FROM it, or committed from a container of it). An unknown image matches nothing, as in docker.
    /// </summary>
    private static Func<ContainerRecord, bool> Ancestor(ImageStore store, IReadOnlyList<StoredImage> images, string value)
    {
        if (store.Find(value) is not { } ancestor)
        {
            return _ => false;
        }

        var ids = images
            .Where(i => i.Id == ancestor.Id || (ancestor.ChainIds.Count > 0 && i.ChainIds.Count >= ancestor.ChainIds.Count && i.ChainIds.Take(ancestor.ChainIds.Count).SequenceEqual(ancestor.ChainIds)))
            .Select(i => i.Id.ToString())
            .ToHashSet(StringComparer.Ordinal);
        return record => ids.Contains(record.ImageId);
    }
}
