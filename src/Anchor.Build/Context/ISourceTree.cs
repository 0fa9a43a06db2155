namespace Anchor.Build.Context;

/// <summary>A read-only tree that COPY takes files from: the build context or another image's layers.</summary>
public interface ISourceTree
{
    /// <summary>The entry at a relative slash path ("" is the root), links not followed; null when absent or excluded.</summary>
    TreeEntry? Stat(string relativePath);

    /// <summary>The visible children of a directory.</summary>
    IEnumerable<TreeEntry> Children(string relativeDirectory);

    /// <summary>The content of a file entry this tree returned.</summary>
    Stream OpenRead(TreeEntry entry);
}
