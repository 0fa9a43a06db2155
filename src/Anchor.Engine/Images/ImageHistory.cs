using Anchor.Images;
using Anchor.Oci;

namespace Anchor.Engine.Images;

/// <summary>
/// docker history: the image config's history, newest first; an entry that is not an
/// empty_layer owns the next layer (its size is the snapshot's). The top entry has the image's ID,
/// an ancestor's top entry the ancestor's; the rest (steps that are not images here) are &lt;missing&gt;.
/// </summary>
public static class ImageHistory
{
    public static IReadOnlyList<HistoryRow> Of(ImageStore store, string nameOrId)
    {
        ArgumentNullException.ThrowIfNull(store);
        var image = store.Find(nameOrId) ?? throw NoSuchImage.Daemon(nameOrId);
        var history = image.Config.History ?? [];
        var rows = new List<HistoryRow>();
        var layer = 0;
        foreach (var entry in history)
        {
            long size = 0;
            if (!entry.EmptyLayer && layer < image.ChainIds.Count)
            {
                size = store.Snapshots.Info(image.ChainIds[layer])?.Size ?? 0;
                layer++;
            }

            rows.Add(new HistoryRow(null, entry.Created, entry.CreatedBy ?? "", size, entry.Comment ?? ""));
        }

        rows.Reverse();
        if (rows.Count > 0)
        {
            rows[0] = rows[0] with { Image = image.Id.ToString() };
            NameAncestors(store, image, rows);
        }
        else
        {
            rows.Add(new HistoryRow(image.Id.ToString(), image.Created, "", image.Size, ""));
        }

        return rows;
    }

    /// <summary>
    /// docker's classic builder records each image's Parent, and history names every ancestor it
    /// still has at that ancestor's top entry (moby daemon/images/image_history.go). Anchor keeps no
    /// parent link: an image of this store whose history and layers begin this image's is its
    /// ancestor (the base an image was built FROM, imported or pulled), and its ID goes on that row.
    /// </summary>
    private static void NameAncestors(ImageStore store, StoredImage image, List<HistoryRow> rows)
    {
        var history = image.Config.History ?? [];
        foreach (var other in store.List())
        {
            var own = other.Config.History ?? [];
            var k = own.Count;
            if (other.Id == image.Id || k == 0 || k >= history.Count || rows[history.Count - k].Image is not null)
            {
                continue;
            }

            if (own.Select((entry, i) => entry == history[i]).All(same => same) &&
                other.ChainIds.Count <= image.ChainIds.Count &&
                other.ChainIds.Select((chain, i) => chain == image.ChainIds[i]).All(same => same))
            {
                rows[history.Count - k] = rows[history.Count - k] with { Image = other.Id.ToString() };
            }
        }
    }

    /// <summary>Go's stringutils.Ellipsis as docker history uses it (45 characters).</summary>
    public static string Truncate(string text, int max = 45)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Replace('\n', ' ').Replace('\t', ' ');
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }

    public static string ShortId(string id) => Digest.TryParse(id, out var d) ? d.Short : id;
}
