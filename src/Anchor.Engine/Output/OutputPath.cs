using Anchor.Engine.Copy;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Output;

/// <summary>
/// What may stand at a path the user names for output. Anchor writes a file by renaming a finished
/// temporary file onto the path, and rename(2) replaces whatever is there: <c>save -o /dev/null</c>
/// once replaced the host's /dev/null with a regular file. So, as docker's client does, nothing but
/// a regular file (or nothing at all) is ever written over, and the verbs refuse anything else with
/// docker's words (exit 1: a client-side error).
/// </summary>
public static unsafe class OutputPath
{
    /// <summary>
    /// A file the verb writes whole (<c>save -o</c>; docker writes it with moby/sys atomicwriter,
    /// whose validateDestination this follows): the parent must be a directory, and the path itself,
    /// not followed if it is a symlink (rename would not follow it either), a regular file or absent.
    /// </summary>
    public static void ValidateFile(string path)
    {
        var dir = CopyPaths.Dir(path);
        if (dir is not ("." or ".."))
        {
            var parent = Stat(dir, follow: true, out var parentErrno);
            if (parent == 0)
            {
                throw new EngineException($"invalid output path: {new LinuxException(parentErrno, "stat", dir).Message}", 1);
            }

            if (parent != LibC.S_IFDIR)
            {
                throw new EngineException($"invalid output path: {new LinuxException(LibC.ENOTDIR, "stat", dir).Message}", 1);
            }
        }

        var type = Stat(path, follow: false, out var errno);
        if (type == 0 && errno != LibC.ENOENT)
        {
            throw new EngineException($"failed to stat output path: {new LinuxException(errno, "lstat", path).Message}", 1);
        }

        if (Refusal(type) is { } refusal)
        {
            throw new EngineException(refusal, 1);
        }
    }

    /// <summary>
    /// <c>cp</c>'s local destination (docker's cli ValidateOutputPath): the parent directory must exist, and
    /// the path, symlinks followed, must be a directory (the copy goes into it), a regular file or absent.
    /// docker lets a FIFO or socket through (its extraction then replaces it); Anchor refuses them too.
    /// </summary>
    public static void ValidateCopyDestination(string path)
    {
        var dir = CopyPaths.Dir(CopyPaths.Clean(path));
        if (Stat(dir, follow: true, out var dirErrno) == 0 && dirErrno == LibC.ENOENT)
        {
            throw new EngineException($"invalid output path: directory \"{dir}\" does not exist", 1);
        }

        var trimmed = path.TrimEnd('/');
        var type = Stat(trimmed.Length == 0 ? "/" : trimmed, follow: true, out var errno);
        if (type == 0 && errno is not (LibC.ENOENT or LibC.ENOTDIR))
        {
            throw new EngineException(new LinuxException(errno, "stat", path).Message, 1);
        }

        if (type is not (0 or LibC.S_IFDIR or LibC.S_IFREG))
        {
            var kind = type is LibC.S_IFCHR or LibC.S_IFBLK ? "got a device" : "got an irregular file";
            throw new EngineException($"invalid output path: \"{path}\" must be a directory or a regular file: {kind}", 1);
        }
    }

    /// <summary>Whether a regular file (or nothing) is still what stands at <paramref name="path"/>: checked again just before the rename.</summary>
    public static string? Refusal(string path) => Refusal(Stat(path, follow: false, out _));

    /// <summary>atomicwriter's words for what it will not write over; null for a regular file or nothing.</summary>
    private static string? Refusal(uint type) => type switch
    {
        0 or LibC.S_IFREG => null,
        LibC.S_IFDIR => "cannot write to a directory",
        LibC.S_IFLNK => "cannot write to a symbolic link directly",
        LibC.S_IFIFO => "cannot write to a named pipe (FIFO)",
        LibC.S_IFSOCK => "cannot write to a socket",
        LibC.S_IFCHR => "cannot write to a character device file",
        LibC.S_IFBLK => "cannot write to a block device file",
        _ => $"unknown file mode: 0x{type:x}",
    };

    /// <summary>The S_IFMT bits, or 0 with <paramref name="errno"/> set when the path cannot be stat'ed.</summary>
    private static uint Stat(string path, bool follow, out int errno)
    {
        LibC.StatBuf st;
        var result = follow ? LibC.stat(path, &st) : LibC.lstat(path, &st);
        errno = result < 0 ? Sys.LastErrno : 0;
        return result < 0 ? 0 : st.st_mode & LibC.S_IFMT;
    }
}
