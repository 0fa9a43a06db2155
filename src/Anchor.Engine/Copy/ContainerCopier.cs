using System.Formats.Tar;
using Anchor.Engine.Containers;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Copy;

/// <summary>
/// <c>anchor cp</c>: docker's client and daemon halves in one. The source is archived as a tar
/// stream (named after the requested path), the destination decides where it is extracted and
/// whether its top entry is renamed (<see cref="CopyPlan"/>), and every path inside the container
/// is opened through a <see cref="ScopedRoot"/> so it cannot resolve outside the container.
/// Errors keep docker's wording and exit code 1; the daemon-side ones are marked
/// <see cref="EngineException.FromDaemon"/> (docker's CLI prints them after "Error response from daemon: "),
/// except the archive endpoints' 404, which docker's client words itself (<see cref="NoSuchPath"/>).
/// </summary>
public sealed class ContainerCopier(AnchorPaths paths, ContainerStore containers)
{
    /// <summary>Copies; returns the size of the archive that went across (docker's "Successfully copied" figure), 0 for stdin/stdout.</summary>
    public long Copy(string source, string destination, CopyOptions options, Func<Stream> stdin, Func<Stream> stdout)
    {
        var src = CopyArgument.Parse(source);
        var dst = CopyArgument.Parse(destination);
        return (src.Container, dst.Container) switch
        {
            (not null, not null) => throw new EngineException("copying between containers is not supported", 1),
            (not null, null) => FromContainer(src.Container, src.Path, dst.Path, options, stdout),
            (null, not null) => ToContainer(src.Path, dst.Container, dst.Path, options, stdin),
            _ => throw new EngineException("must specify at least one container source", 1),
        };
    }

    private long FromContainer(string container, string srcPath, string dstPath, CopyOptions options, Func<Stream> stdout)
    {
        var local = dstPath == "-" ? null : CopyPaths.Local(dstPath, Directory.GetCurrentDirectory());
        if (local is not null)
        {
            Output.OutputPath.ValidateCopyDestination(local);
        }

        var record = TryFind(container) ?? throw NoSuchPath(container, srcPath);

        using var fs = ContainerFilesystem.Open(paths, containers, record);
        var path = CopyPaths.InContainer(srcPath);
        // Without -L the last element is the object itself, a symlink included; a trailing "/" or
        // "/." still resolves it, as docker's lstat of "link/" does.
        var fd = fs.Root.TryOpen(path, LibC.O_PATH | (options.FollowLink ? 0 : LibC.O_NOFOLLOW));
        if (fd < 0)
        {
            throw -fd is LibC.ENOENT or LibC.ENOTDIR
                ? NoSuchPath(container, srcPath)
                : EngineException.Daemon(EngineErrorKind.Internal, new LinuxException(-fd, "lstat", srcPath).Message, 1);
        }

        try
        {
            var name = TopName(path);
            if (local is null)
            {
                using var output = stdout();
                Archive(fd, name, output);
                return 0;
            }

            var isDir = FileStatus.IsDir(FileStatus.Of(fd));
            var plan = CopyPlan.Prepare(path, isDir, LocalTarget.Stat(local));
            using var host = ScopedRoot.Host();
            (uint, uint)? owner = options.Archive ? null : (LibC.geteuid(), LibC.getegid());
            return TarPipe.Run(w => Archive(fd, name, w), r => new TreeExtractor(host, plan.ExtractDir, plan, owner).Extract(r));
        }
        finally
        {
            LibC.close(fd);
        }
    }

    private long ToContainer(string srcPath, string container, string dstPath, CopyOptions options, Func<Stream> stdin)
    {
        // docker's client stats the destination first and takes any failure, a missing container's
        // included, as "absent"; the upload then fails (below, once the local source is checked).
        var record = TryFind(container);

        string? local = null;
        var srcFd = -1;
        using var host = ScopedRoot.Host();
        if (srcPath != "-")
        {
            local = CopyPaths.Local(srcPath, Directory.GetCurrentDirectory());
            srcFd = host.TryOpen(local, LibC.O_PATH | (options.FollowLink ? 0 : LibC.O_NOFOLLOW));
            if (srcFd < 0)
            {
                throw new EngineException(new LinuxException(-srcFd, options.FollowLink ? "stat" : "lstat", local).Message, 1);
            }
        }

        try
        {
            if (record is null)
            {
                throw MissingContainerUpload(container, dstPath, local, srcFd);
            }

            using var fs = ContainerFilesystem.Open(paths, containers, record);
            var target = ContainerTarget(fs.Root, container, CopyPaths.InContainer(dstPath), dstPath);
            (uint, uint)? owner = options.Archive ? null : (0u, 0u);
            if (local is null)
            {
                if (!target.IsDir)
                {
                    throw new EngineException($"destination \"{container}:{dstPath}\" must be a directory", 1);
                }

                CheckWritable(record, target.Path);
                using var input = stdin();
                Extract(fs.Root, container, target.Path, new CopyPlan(target.Path, null, null), owner, input);
                return 0;
            }

            var plan = CopyPlan.Prepare(local, FileStatus.IsDir(FileStatus.Of(srcFd)), target);
            CheckWritable(record, plan.ExtractDir);
            return TarPipe.Run(w => Archive(srcFd, TopName(local), w), r => Extract(fs.Root, container, plan.ExtractDir, plan, owner, r));
        }
        finally
        {
            if (srcFd >= 0)
            {
                LibC.close(srcFd);
            }
        }
    }

    /// <summary>
    /// The container side of a copy in, as docker's client stats it: a symlink is replaced by its
    /// target (joined onto the link's directory, resolved in the container), which must then be a
    /// directory or a regular file.
    /// </summary>
    private static CopyInfo ContainerTarget(ScopedRoot root, string container, string path, string given)
    {
        var fd = root.TryOpen(path, LibC.O_PATH | LibC.O_NOFOLLOW);
        if (fd < 0)
        {
            return new CopyInfo(path, false, false);
        }

        try
        {
            var st = FileStatus.Of(fd);
            if (FileStatus.Type(st) != LibC.S_IFLNK)
            {
                return new CopyInfo(path, true, FileStatus.IsDir(st));
            }

            var linked = CopyPaths.ResolveLink(path, FileStatus.ReadLink(fd));
            var targetFd = root.TryOpen(linked, LibC.O_PATH);
            if (targetFd < 0)
            {
                return new CopyInfo(linked, false, false);
            }

            var target = FileStatus.Of(targetFd);
            LibC.close(targetFd);
            return FileStatus.Type(target) is LibC.S_IFDIR or LibC.S_IFREG
                ? new CopyInfo(linked, true, FileStatus.IsDir(target))
                : throw new EngineException($"destination \"{container}:{given}\" must be a directory or a regular file", 1);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>
    /// docker's daemon refuses a copy into a read-only volume, or outside every volume of a
    /// container whose rootfs is read-only (daemon/archive.go checkIfPathIsInAVolume).
    /// </summary>
    internal static void CheckWritable(ContainerRecord record, string directory)
    {
        var path = CopyPaths.Clean(directory);
        var mount = record.Mounts
            .Where(m => path == m.Destination || path.StartsWith(m.Destination.TrimEnd('/') + "/", StringComparison.Ordinal))
            .MaxBy(m => m.Destination.Length);
        if (mount is { ReadWrite: false })
        {
            throw EngineException.Daemon(EngineErrorKind.Forbidden, "mounted volume is marked read-only", 1);
        }

        if (mount is null && record.Options?.ReadOnly == true)
        {
            throw EngineException.Daemon(EngineErrorKind.Forbidden, "container rootfs is marked read-only", 1);
        }
    }

    /// <summary>docker's daemon side of a copy in: the extraction point must exist in the container and be a directory.</summary>
    internal static void Extract(ScopedRoot root, string container, string directory, CopyPlan plan, (uint, uint)? owner, Stream tar, bool replaceDirNonDir = false)
    {
        var fd = root.TryOpen(directory, LibC.O_PATH);
        if (fd < 0)
        {
            throw -fd is LibC.ENOENT or LibC.ENOTDIR
                ? NoSuchPath(container, directory)
                : EngineException.Daemon(EngineErrorKind.Internal, new LinuxException(-fd, "lstat", directory).Message, 1);
        }

        var isDir = FileStatus.IsDir(FileStatus.Of(fd));
        LibC.close(fd);
        if (!isDir)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, "extraction point is not a directory", 1);
        }

        try
        {
            new TreeExtractor(root, directory, plan, owner) { ReplaceDirNonDir = replaceDirNonDir }.Extract(tar);
        }
        catch (EngineException e) when (!e.FromDaemon)
        {
            throw EngineException.Daemon(e.Kind, e.Message, 1);
        }
        catch (LinuxException e)
        {
            throw EngineException.Daemon(EngineErrorKind.Internal, e.Message, 1);
        }
    }

    internal static void Archive(int fd, string name, Stream output)
    {
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        new TreeArchiver(writer).Write(fd, name);
    }

    /// <summary>The archive's top name: the requested path's last element ("." for "/" and "DIR/.").</summary>
    internal static string TopName(string path)
    {
        var name = CopyPaths.Split(path).Base;
        return name == "/" ? "." : name;
    }

    /// <summary>
    /// A copy into a container that does not exist, as docker 20.10's client ends it: stdin needs a
    /// directory it cannot see; a file or directory is planned against an absent destination (a
    /// path ending in "/" is "no such directory") and the upload to the planned directory, named
    /// as given ("/" for "/x", "rel" for "rel/x"), is the archive endpoint's 404.
    /// </summary>
    private static EngineException MissingContainerUpload(string container, string dstPath, string? local, int srcFd) =>
        local is null
            ? new EngineException($"destination \"{container}:{dstPath}\" must be a directory", 1)
            : NoSuchPath(container, CopyPlan.Prepare(local, FileStatus.IsDir(FileStatus.Of(srcFd)), new CopyInfo(dstPath, false, false)).ExtractDir);

    /// <summary>
    /// A 404 of the archive endpoints (no such container, or its daemon's "Could not find the
    /// file"): docker's client never shows the daemon's text but its own, CONTAINER:PATH as it
    /// sent them (docker/docker client/container_copy.go, wrapResponseError); the CLI prints it
    /// after "Error: ".
    /// </summary>
    private static EngineException NoSuchPath(string container, string path) =>
        new($"No such container:path: {container}:{path}", 1) { Kind = EngineErrorKind.NotFound };

    /// <summary>The container, or null when there is none; any other failure of the lookup is the daemon's.</summary>
    private ContainerRecord? TryFind(string container)
    {
        try
        {
            return containers.Find(container);
        }
        catch (EngineException e) when (e.NotFound)
        {
            return null;
        }
        catch (EngineException e)
        {
            throw e.AsDaemon();
        }
    }
}
