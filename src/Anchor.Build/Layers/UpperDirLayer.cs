using Anchor.Build.Context;

namespace Anchor.Build.Layers;

/// <summary>
/// Turns a container's overlay upper directory into layer entries: overlay whiteouts (0/0
/// character devices) become <c>.wh.NAME</c>, opaque directories (trusted.overlay.opaque=y) get a
/// <c>.wh..wh..opq</c> entry (OCI image spec layer.md "Whiteouts"). The files the runtime creates as
/// bind-mount targets (/etc/hostname, /etc/hosts, /etc/resolv.conf, empty) and the empty /.dockerenv are not changes of the
/// container, as docker keeps them in its separate init layer.
/// </summary>
public static class UpperDirLayer
{
    private static readonly HashSet<string> MountTargets = ["etc/hostname", "etc/hosts", "etc/resolv.conf", ".dockerenv"];

    /// <summary>One change: kind 'A', 'C' or 'D' as docker diff prints it, for the relative path.</summary>
    public readonly record struct Change(char Kind, string Path);

    /// <summary>Writes the upper directory's changes into <paramref name="writer"/>.</summary>
    public static void Write(string upperDir, LayerTarWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var (entry, opaque, inode) in Walk(upperDir))
        {
            if (entry.IsWhiteout)
            {
                var parent = entry.RelativePath.Contains('/', StringComparison.Ordinal) ? entry.RelativePath[..entry.RelativePath.LastIndexOf('/')] + "/" : "";
                writer.AddEmptyFile(parent + ".wh." + entry.Name);
                continue;
            }

            writer.AddEntry(entry.RelativePath, entry, inode: inode);
            if (opaque)
            {
                writer.AddEmptyFile(entry.RelativePath + "/.wh..wh..opq");
            }
        }
    }

    /// <summary>docker diff: A for a path not in the image, C for one that is, D for a whiteout.</summary>
    public static IReadOnlyList<Change> Changes(string upperDir, ISourceTree image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var changes = new List<Change>();
        foreach (var (entry, _, _) in Walk(upperDir))
        {
            var kind = entry.IsWhiteout ? 'D' : image.Stat(entry.RelativePath) is null ? 'A' : 'C';
            changes.Add(new Change(kind, "/" + entry.RelativePath));
        }

        return [.. changes.OrderBy(c => c.Path, StringComparer.Ordinal)];
    }

    private static bool OnlyMountTargets(string etc) =>
        Directory.EnumerateFileSystemEntries(etc).All(p =>
            MountTargets.Contains("etc/" + Path.GetFileName(p)) && FileStat.Lstat(p, "") is { Kind: EntryKind.File, Size: 0 });

    /// <summary>Every entry below the upper directory, parents before children, sorted by name.</summary>
    private static IEnumerable<(TreeEntry Entry, bool Opaque, (ulong, long)? Inode)> Walk(string upperDir)
    {
        var pending = new Stack<string>();
        pending.Push("");
        while (pending.Count > 0)
        {
            var rel = pending.Pop();
            var dir = rel.Length == 0 ? upperDir : Path.Combine(upperDir, rel);
            var children = Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            var subdirs = new List<string>();
            foreach (var name in children)
            {
                var childRel = FileStat.Join(rel, name!);
                var entry = FileStat.Lstat(Path.Combine(dir, name!), childRel);
                if (entry is null || (MountTargets.Contains(childRel) && entry.Kind == EntryKind.File && entry.Size == 0))
                {
                    continue;
                }

                var isDir = entry.Kind == EntryKind.Directory;
                if (isDir && childRel == "etc" && OnlyMountTargets(entry.HostPath))
                {
                    continue; // /etc was copied up only for the runtime's mount targets.
                }

                yield return (entry, isDir && FileStat.IsOpaque(entry.HostPath), entry.Kind == EntryKind.File ? FileStat.HardLinkKey(entry.HostPath) : null);
                if (isDir)
                {
                    subdirs.Add(childRel);
                }
            }

            for (var i = subdirs.Count - 1; i >= 0; i--)
            {
                pending.Push(subdirs[i]);
            }
        }
    }
}
