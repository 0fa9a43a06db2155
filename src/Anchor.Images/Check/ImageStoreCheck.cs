using Anchor.Oci.Reference;

namespace Anchor.Images.Check;

/// <summary>
/// <c>anchor system check [--repair]</c>: every image of images.json is checked whole
/// (<see cref="ImageCheck"/>) and every tag must name an image. The whole check holds the images
/// lock, as rmi does while it deletes, so no command removes or replaces what is being read, and
/// commits that would add an image wait for it; content a writer has not committed yet is not
/// looked at. A repair also holds a writer's lease (<see cref="WriterLease"/>) around the lock, so
/// whatever it stops referring to is collected when it ends alone.
/// </summary>
public sealed class ImageStoreCheck(ImageStore store)
{
    public IReadOnlyList<StoreProblem> Run(bool repair)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var lease = repair ? store.BeginWrite() : null;
        using var held = store.LockImages();
        var doc = store.Read();
        var problems = new List<StoreProblem>();
        var changed = false;
        foreach (var (tag, id) in doc.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToList())
        {
            if (!doc.Images.ContainsKey(id))
            {
                problems.Add(new StoreProblem($"tag {Familiar(tag)} refers to image {id}, which is not in the store", repair, repair ? "removed the tag" : null));
                changed |= repair && doc.Tags.Remove(tag);
            }
        }

        foreach (var (id, record) in doc.Images.OrderBy(i => i.Key, StringComparer.Ordinal).ToList())
        {
            var name = doc.Tags.Where(t => t.Value == id).Select(t => Familiar(t.Key)).Order(StringComparer.Ordinal).FirstOrDefault() ?? "<none>";
            var check = new ImageCheck(store, id, record, name, repair);
            problems.AddRange(check.Run());
            if (check.Repaired is { } repaired)
            {
                doc.Images[id] = repaired;
                changed = true;
            }
        }

        if (changed)
        {
            store.Save(doc);
        }

        return problems;
    }

    private static string Familiar(string tag) =>
        ImageReference.TryParse(tag, out var reference, out _) ? reference.FamiliarName : tag;
}
