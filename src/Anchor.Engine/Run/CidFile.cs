using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Run;

/// <summary>
/// <c>--cidfile FILE</c> (docker/cli container/create.go, newCIDFile): refused when FILE exists,
/// made (empty) before the container is, given the ID once the container exists, and removed
/// when no container came of it. The ID replaces the empty file by a rename, so a script that
/// polls the file reads nothing or the whole ID, never part of it.
/// </summary>
public sealed class CidFile : IDisposable
{
    private readonly string? _path;
    private bool _written;

    private CidFile(string? path) => _path = path;

    /// <summary>Takes FILE for this container; null does nothing (no --cidfile).</summary>
    public static CidFile Reserve(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return new CidFile(null);
        }

        if (Path.Exists(path))
        {
            throw new EngineException($"container ID file found, make sure the other container isn't running or delete {path}");
        }

        // O_EXCL: of two commands racing for one file, only one gets it (docker's os.Create would let both).
        var fd = LibC.open(path, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC, 0x1B6 /* 0666, less the umask */);
        if (fd < 0)
        {
            var errno = Sys.LastErrno;
            throw new EngineException(errno == LibC.EEXIST
                ? $"container ID file found, make sure the other container isn't running or delete {path}"
                : $"failed to create the container ID file: {new LinuxException(errno, "open", path).Message}");
        }

        LibC.close(fd);
        return new CidFile(path);
    }

    /// <summary>The container exists: FILE holds its full ID, without a newline (as docker writes it).</summary>
    public void Write(string id)
    {
        if (_path is null)
        {
            return;
        }

        AtomicFile.WriteAllBytes(_path, System.Text.Encoding.ASCII.GetBytes(id), durable: false, mode: (UnixFileMode)0x1A4 /* 0644 */);
        _written = true;
    }

    /// <summary>No container was made: the empty file goes (docker's cidFile.Close).</summary>
    public void Dispose()
    {
        if (_path is not null && !_written)
        {
            File.Delete(_path);
        }
    }
}
