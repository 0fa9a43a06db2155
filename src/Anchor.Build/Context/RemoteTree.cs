namespace Anchor.Build.Context;

/// <summary>
/// The files an <c>ADD http(s)://…</c> downloaded, as a source tree: one regular file per URL at
/// the root, named as docker names it, mode 0600 (the Dockerfile reference: "files from remote
/// URLs … have permissions of 600"), owned by root, its time the response's Last-Modified.
/// </summary>
internal sealed class RemoteTree : ISourceTree
{
    private readonly Dictionary<string, TreeEntry> _files = new(StringComparer.Ordinal);
    private readonly TreeEntry _root = new("", "", EntryKind.Directory, 0x1ED /* 0755 */, 0, 0, 0, DateTimeOffset.UnixEpoch, null, 0, 0);

    /// <summary>Adds a downloaded file; a second URL of the same name replaces the first, as a second copy would.</summary>
    public void Add(RemoteFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        _files[file.Name] = new TreeEntry(file.Name, file.Path, EntryKind.File, 0x180 /* 0600 */, 0, 0, new FileInfo(file.Path).Length, file.ModifiedTime, null, 0, 0);
    }

    public TreeEntry? Stat(string relativePath) =>
        relativePath.Length == 0 ? _root : _files.GetValueOrDefault(relativePath);

    public IEnumerable<TreeEntry> Children(string relativeDirectory) =>
        relativeDirectory.Length == 0 ? _files.Values.OrderBy(f => f.Name, StringComparer.Ordinal) : [];

    public Stream OpenRead(TreeEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new FileStream(entry.HostPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }
}
