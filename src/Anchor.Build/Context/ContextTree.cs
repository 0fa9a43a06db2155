namespace Anchor.Build.Context;

/// <summary>The build context directory as the builder sees it: .dockerignore'd paths do not exist.</summary>
public sealed class ContextTree(string root, DockerIgnore ignore) : ISourceTree
{
    public string Root { get; } = Path.GetFullPath(root);

    public DockerIgnore Ignore { get; } = ignore;

    public TreeEntry? Stat(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (relativePath.Length > 0 && Ignore.IsExcluded(relativePath))
        {
            return null;
        }

        return FileStat.Lstat(relativePath.Length == 0 ? Root : Path.Combine(Root, relativePath), relativePath);
    }

    public IEnumerable<TreeEntry> Children(string relativeDirectory)
    {
        var dir = relativeDirectory.Length == 0 ? Root : Path.Combine(Root, relativeDirectory);
        foreach (var name in Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            var rel = FileStat.Join(relativeDirectory, name!);
            if (!Ignore.IsExcluded(rel) && FileStat.Lstat(Path.Combine(dir, name!), rel) is { } entry)
            {
                yield return entry;
            }
        }
    }
}
