namespace Anchor.Build.Context;

/// <summary>
/// The union of an image's unpacked layers (overlay lowerdirs, top first) read without mounting
/// them: a 0/0 character device hides the name below it, an opaque directory everything below it.
/// </summary>
public sealed class LayerTree(IReadOnlyList<string> layersTopFirst) : ISourceTree
{
    public TreeEntry? Stat(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (relativePath.Length == 0)
        {
            return layersTopFirst.Count > 0 && FileStat.Lstat(layersTopFirst[0], "") is { } root ? root with { Kind = EntryKind.Directory } : null;
        }

        var segments = relativePath.Split('/');
        foreach (var layer in layersTopFirst)
        {
            var hidden = false;
            var prefix = layer;
            for (var i = 0; i < segments.Length; i++)
            {
                prefix = Path.Combine(prefix, segments[i]);
                var entry = FileStat.Lstat(prefix, string.Join('/', segments[..(i + 1)]));
                if (entry is null)
                {
                    break; // Not in this layer: look below.
                }

                if (entry.IsWhiteout || (i < segments.Length - 1 && entry.Kind != EntryKind.Directory))
                {
                    return null;
                }

                if (i == segments.Length - 1)
                {
                    return entry;
                }

                if (FileStat.IsOpaque(prefix))
                {
                    hidden = true; // Nothing below this directory counts; the rest must be in this layer.
                }
            }

            if (hidden)
            {
                return null;
            }
        }

        return null;
    }

    public IEnumerable<TreeEntry> Children(string relativeDirectory)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<TreeEntry>();
        foreach (var layer in layersTopFirst)
        {
            var dir = relativeDirectory.Length == 0 ? layer : Path.Combine(layer, relativeDirectory);
            if (!Directory.Exists(dir) || Directory.ResolveLinkTarget(dir, false) is not null)
            {
                continue;
            }

            foreach (var path in Directory.EnumerateFileSystemEntries(dir))
            {
                var name = Path.GetFileName(path);
                if (!seen.Add(name))
                {
                    continue;
                }

                var entry = FileStat.Lstat(path, FileStat.Join(relativeDirectory, name));
                if (entry is not null && !entry.IsWhiteout)
                {
                    result.Add(entry);
                }
            }

            if (FileStat.IsOpaque(dir))
            {
                break;
            }
        }

        return result.OrderBy(e => e.Name, StringComparer.Ordinal);
    }

    public Stream OpenRead(TreeEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new FileStream(entry.HostPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }
}
