using System.Text;

namespace Anchor.Build.Context;

/// <summary>
/// The files a <c>COPY &lt;&lt;NAME</c> creates, as a source tree: one regular file per
/// here-document at the root, named by its delimiter, mode 0644 as BuildKit makes them
/// (dockerfile2llb dispatchCopy: llb.Mkfile), owned by root.
/// </summary>
internal sealed class HeredocTree : ISourceTree
{
    private readonly Dictionary<string, (TreeEntry Entry, byte[] Data)> _files = new(StringComparer.Ordinal);
    private readonly TreeEntry _root;

    public HeredocTree(IEnumerable<(string Name, string Content)> files, DateTimeOffset mtime)
    {
        ArgumentNullException.ThrowIfNull(files);
        _root = new TreeEntry("", "", EntryKind.Directory, 0x1ED /* 0755 */, 0, 0, 0, mtime, null, 0, 0);
        foreach (var (name, content) in files)
        {
            var data = Encoding.UTF8.GetBytes(content);
            _files[name] = (new TreeEntry(name, "", EntryKind.File, 0x1A4 /* 0644 */, 0, 0, data.Length, mtime, null, 0, 0), data);
        }
    }

    public TreeEntry? Stat(string relativePath) =>
        relativePath.Length == 0 ? _root : _files.TryGetValue(relativePath, out var file) ? file.Entry : null;

    public IEnumerable<TreeEntry> Children(string relativeDirectory) =>
        relativeDirectory.Length == 0 ? _files.Values.Select(f => f.Entry) : [];

    public Stream OpenRead(TreeEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new MemoryStream(_files[entry.RelativePath].Data, writable: false);
    }
}
