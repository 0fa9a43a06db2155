using Anchor.Engine.Containers;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Copy;

/// <summary>
/// The daemon's half of a copy as the archive endpoints serve it (moby daemon/archive.go
/// ContainerStatPath, ContainerArchivePath, ContainerExtractToDir): the same confined filesystem
/// (<see cref="ContainerFilesystem"/>), archiver, extractor and writability check as
/// <see cref="ContainerCopier"/>, which is both halves in one for <c>anchor cp</c>. Errors are
/// the daemon's: "No such container", "Could not find the file", "extraction point is not a directory".
/// </summary>
public sealed class ContainerArchive(AnchorPaths paths, ContainerStore containers)
{
    /// <summary>Symlinks followed at most this often when resolving a link target (Linux's MAXSYMLINKS).</summary>
    private const int MaxSymlinks = 40;

    /// <summary>HEAD /containers/{id}/archive: the path itself, a final symlink not followed.</summary>
    public PathStat Stat(string nameOrId, string path)
    {
        var record = containers.Find(nameOrId);
        using var fs = ContainerFilesystem.Open(paths, containers, record);
        var absolute = CopyPaths.InContainer(path);
        var fd = OpenSource(fs.Root, record, absolute, path);
        try
        {
            return StatOf(fs.Root, fd, absolute);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>
    /// GET /containers/{id}/archive: the path's stat, handed to <paramref name="begin"/> (which
    /// answers with the stream the archive goes to: the stat is a header, sent before the body),
    /// then the tar of the path named after its last element, as <c>anchor cp CONTAINER:PATH -</c> writes it.
    /// </summary>
    public void Get(string nameOrId, string path, Func<PathStat, Stream> begin)
    {
        ArgumentNullException.ThrowIfNull(begin);
        var record = containers.Find(nameOrId);
        using var fs = ContainerFilesystem.Open(paths, containers, record);
        var absolute = CopyPaths.InContainer(path);
        var fd = OpenSource(fs.Root, record, absolute, path);
        try
        {
            var output = begin(StatOf(fs.Root, fd, absolute));
            ContainerCopier.Archive(fd, ContainerCopier.TopName(absolute), output);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>
    /// PUT /containers/{id}/archive: extracts a tar into the directory <paramref name="path"/>
    /// (symlinks resolved inside the container). Owners are root's, or with
    /// <paramref name="copyUidGid"/> the archive's, as <c>anchor cp</c> without and with -a.
    /// With <paramref name="noOverwriteDirNonDir"/> (what docker's CLI always asks for) a
    /// directory is never replaced by a non-directory nor the other way round; without it the
    /// old one goes, as moby's Unpack removes it.
    /// </summary>
    public void Put(string nameOrId, string path, Stream tar, bool copyUidGid, bool noOverwriteDirNonDir = true)
    {
        var record = containers.Find(nameOrId);
        using var fs = ContainerFilesystem.Open(paths, containers, record);
        var absolute = CopyPaths.InContainer(path);
        var fd = fs.Root.TryOpen(absolute, LibC.O_PATH);
        if (fd < 0)
        {
            throw Failure(fd, record, path);
        }

        var isDir = FileStatus.IsDir(FileStatus.Of(fd));
        LibC.close(fd);
        if (!isDir)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "extraction point is not a directory", 1);
        }

        ContainerCopier.CheckWritable(record, absolute);
        ContainerCopier.Extract(fs.Root, record.Name, absolute, new CopyPlan(absolute, null, null), copyUidGid ? null : (0u, 0u), tar, replaceDirNonDir: !noOverwriteDirNonDir);
    }

    private static int OpenSource(ScopedRoot root, ContainerRecord record, string absolute, string given)
    {
        var fd = root.TryOpen(absolute, LibC.O_PATH | LibC.O_NOFOLLOW);
        return fd >= 0 ? fd : throw Failure(fd, record, given);
    }

    /// <summary>ENOENT/ENOTDIR: moby's containerFileNotFound (404); anything else the daemon's 500.</summary>
    private static EngineException Failure(int fd, ContainerRecord record, string given) =>
        -fd is LibC.ENOENT or LibC.ENOTDIR
            ? EngineException.Daemon(EngineErrorKind.NotFound, $"Could not find the file {given} in container {record.Name}", 1)
            : EngineException.Daemon(EngineErrorKind.Internal, new LinuxException(-fd, "lstat", given).Message, 1);

    /// <summary>
    /// moby's statPath: the name is the last element of the path as asked ("." for "DIR/."), the
    /// link target the symlink's final destination as an absolute path in the container.
    /// </summary>
    private static PathStat StatOf(ScopedRoot root, int fd, string absolute)
    {
        var st = FileStatus.Of(fd);
        var target = FileStatus.Type(st) == LibC.S_IFLNK ? LinkTarget(root, absolute, FileStatus.ReadLink(fd)) : "";
        return new PathStat(CopyPaths.Base(absolute), st.st_size, GoFileMode.FromUnix(st.st_mode), FileStatus.ModificationTime(st), target);
    }

    /// <summary>Follows a chain of final symlinks inside the root; the directories on the way resolve in the root when the path is opened.</summary>
    private static string LinkTarget(ScopedRoot root, string linkPath, string target)
    {
        var path = CopyPaths.ResolveLink(CopyPaths.Clean(linkPath), target);
        for (var i = 0; i < MaxSymlinks; i++)
        {
            var fd = root.TryOpen(path, LibC.O_PATH | LibC.O_NOFOLLOW);
            if (fd < 0)
            {
                return path;
            }

            try
            {
                if (FileStatus.Type(FileStatus.Of(fd)) != LibC.S_IFLNK)
                {
                    return path;
                }

                path = CopyPaths.ResolveLink(path, FileStatus.ReadLink(fd));
            }
            finally
            {
                LibC.close(fd);
            }
        }

        return path;
    }
}
