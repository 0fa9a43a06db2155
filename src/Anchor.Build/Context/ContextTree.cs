using Anchor.Linux;
using Anchor.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Anchor.Build.Context;

/// <summary>
/// The build context directory as the builder sees it: a tree whose "/" is the context root.
/// Every path is resolved by the kernel through <see cref="ScopedRoot"/> (openat2 RESOLVE_IN_ROOT),
/// so symlinks are followed inside the context only: "..", absolute targets and climbing relative
/// ones stop at its root, as docker's daemon resolves them in the context it was sent
/// (FollowSymlinkInScope) — a link to /etc or ../outside can never reach the host's files.
/// Entries carry their physical path (the real directories, with no symlink), which is what
/// .dockerignore is matched against (docker's client leaves ignored files out of the context it
/// sends, so a symlink to an ignored file leads nowhere), as well as the path as written.
/// .dockerignore'd paths do not exist.
/// </summary>
public sealed class ContextTree : ISourceTree, IDisposable
{
    private readonly ScopedRoot _root;
    private readonly string _realRoot;

    public ContextTree(string root, DockerIgnore ignore)
    {
        Root = Path.GetFullPath(root);
        Ignore = ignore;
        _root = ScopedRoot.Confined(Root);
        _realRoot = FdPath(_root.Fd) ?? Root;
    }

    public string Root { get; }

    public DockerIgnore Ignore { get; }

    public TreeEntry? Stat(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var clean = IgnorePattern.CleanPath("/" + relativePath);
        if (clean == ".")
        {
            return FileStat.At(_root.Fd, "", _realRoot, "");
        }

        if (Ignore.IsExcluded(clean))
        {
            return null;
        }

        var slash = clean.LastIndexOf('/');
        var name = clean[(slash + 1)..];
        var parent = OpenDirectory(slash < 0 ? "" : clean[..slash], out var physicalParent);
        if (parent < 0)
        {
            return null;
        }

        try
        {
            var physical = FileStat.Join(physicalParent, name);
            return Ignore.IsExcluded(physical) ? null : FileStat.At(parent, name, HostPath(physical), physical);
        }
        finally
        {
            LibC.close(parent);
        }
    }

    public IEnumerable<TreeEntry> Children(string relativeDirectory)
    {
        ArgumentNullException.ThrowIfNull(relativeDirectory);
        var dir = OpenDirectory(relativeDirectory, out var physicalDir);
        if (dir < 0)
        {
            return [];
        }

        try
        {
            // /proc/self/fd/N names the very directory the descriptor holds: nothing is resolved again.
            var entries = new List<TreeEntry>();
            foreach (var name in Directory.EnumerateFileSystemEntries($"/proc/self/fd/{dir}").Select(Path.GetFileName).Order(StringComparer.Ordinal))
            {
                var rel = FileStat.Join(physicalDir, name!);
                if (!Ignore.IsExcluded(rel) && FileStat.At(dir, name!, HostPath(rel), rel) is { } entry)
                {
                    entries.Add(entry);
                }
            }

            return entries;
        }
        finally
        {
            LibC.close(dir);
        }
    }

    /// <summary>Opens a file of the tree for reading, resolved in the context root; a final symlink is refused (ELOOP), never followed.</summary>
    public Stream OpenRead(TreeEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var fd = _root.Open(entry.RelativePath, LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_NOCTTY);
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, 1 << 16);
    }

    public void Dispose() => _root.Dispose();

    /// <summary>A directory of the tree (symlinks followed in the root) and its physical path relative to the root; -1 when there is none.</summary>
    private int OpenDirectory(string relativePath, out string physical)
    {
        physical = "";
        var fd = _root.TryOpen(relativePath, LibC.O_PATH | LibC.O_DIRECTORY);
        if (fd < 0)
        {
            return -1;
        }

        var path = FdPath(fd);
        if (path == _realRoot)
        {
            return fd;
        }

        var prefix = _realRoot == "/" ? "/" : _realRoot + "/";
        if (path is not null && path.StartsWith(prefix, StringComparison.Ordinal))
        {
            physical = path[prefix.Length..];
            return fd;
        }

        // The root was moved or the directory deleted while we looked: nothing to copy from.
        LibC.close(fd);
        return -1;
    }

    private string HostPath(string physical) => physical.Length == 0 ? _realRoot : Path.Combine(_realRoot, physical);

    /// <summary>The path the kernel records for an open descriptor (proc(5), /proc/PID/fd).</summary>
    private static string? FdPath(int fd) => new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
}
