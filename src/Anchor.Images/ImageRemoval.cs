using Anchor.Oci;
using Anchor.Oci.Reference;

namespace Anchor.Images;

/// <summary>
/// docker rmi's decisions (moby daemon/images/image_delete.go), applied to the document in memory:
/// by tag with other tags left only untags; the last tag or the ID deletes the image; an ID with tags
/// in several repositories, or an image a container uses, needs force. Simplification: a forced
/// removal of an image a container uses only untags it (it stays as a dangling image), because the
/// container's overlay still reads its snapshots.
/// </summary>
internal static class ImageRemoval
{
    /// <summary>Untags in <paramref name="doc"/> and returns the image ID to delete, if any.</summary>
    public static (RemoveResult Result, Digest? Delete) Plan(ImageStoreDocument doc, string nameOrId, bool force, Func<Digest, string?> containerUsing)
    {
        var tagKey = ImageLookup.TagKey(doc, nameOrId);
        var id = tagKey is not null ? doc.Tags[tagKey] : ImageLookup.Resolve(doc, nameOrId) ?? throw new ImageNotFoundException(nameOrId);
        var digest = Digest.Parse(id);
        var tags = doc.Tags.Where(t => t.Value == id).Select(t => t.Key).OrderBy(t => t, StringComparer.Ordinal).ToList();
        var container = containerUsing(digest);

        if (tagKey is not null)
        {
            if (tags.Count > 1)
            {
                return (Untag(doc, [tagKey]), null);
            }

            if (container is not null && !force)
            {
                throw new ImageException(
                    $"conflict: unable to remove repository reference \"{nameOrId}\" (must force) - container {Short(container)} is using its referenced image {digest.Short}",
                    ImageErrorKind.Conflict);
            }
        }
        else
        {
            var repositories = tags.Select(t => ImageReference.Parse(t).Repository).Distinct(StringComparer.Ordinal).Count();
            if (repositories > 1 && !force)
            {
                throw new ImageException(
                    $"conflict: unable to delete {digest.Short} (must be forced) - image is referenced in multiple repositories",
                    ImageErrorKind.Conflict);
            }

            if (container is not null && !force)
            {
                throw new ImageException(
                    $"conflict: unable to delete {digest.Short} (must be forced) - image is being used by stopped container {Short(container)}",
                    ImageErrorKind.Conflict);
            }
        }

        var result = Untag(doc, tags);
        return (result, container is null ? digest : null);
    }

    private static RemoveResult Untag(ImageStoreDocument doc, IEnumerable<string> keys)
    {
        var untagged = new List<string>();
        foreach (var key in keys)
        {
            doc.Tags.Remove(key);
            untagged.Add(ImageReference.Parse(key).FamiliarName);
        }

        return new RemoveResult(untagged, []);
    }

    private static string Short(string containerId) => containerId.Length > 12 ? containerId[..12] : containerId;
}
