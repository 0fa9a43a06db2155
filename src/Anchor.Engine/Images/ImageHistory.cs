using Anchor.Images;
using Anchor.Oci;

namespace Anchor.Engine.Images;

/// <summary>
/// docker history: the image config's history, newest first; an entry that is not an
/// empty_layer owns the next layer (its size is the snapshot's). Only the top entry has an image
/// ID: intermediate build steps are not images here, so the rest are &lt;missing&gt;, as for pulled images.
/// </summary>
public static class ImageHistory
{
    public static IReadOnlyList<HistoryRow> Of(ImageStore store, string nameOrId)
    {
        ArgumentNullException.ThrowIfNull(store);
        var image = store.Find(nameOrId) ?? throw new EngineException($"No such image: {nameOrId}");
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
        }
        else
        {
            rows.Add(new HistoryRow(image.Id.ToString(), image.Created, "", image.Size, ""));
        }

        return rows;
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
