using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Launch;

/// <summary>
/// Holds a directly spawned container process between its birth and its execve, with two FIFOs in a
/// directory of its own (fifo(7)). The child's posix_spawn file actions fchdir into the directory,
/// open <c>ready</c> for writing and close it (the launcher's reader sees POLLHUP: the process
/// exists), then open <c>go</c> for writing, which blocks until a reader appears
/// (<see cref="Open"/>); only then does it execve. The directory belongs to the container's user,
/// mode 0700, inside a root-owned 0700 directory: nobody else can reach the FIFOs.
/// </summary>
internal sealed class SpawnGate : IDisposable
{
    public const string ReadyName = "ready";
    public const string GoName = "go";

    private readonly string _directory;
    private int _go = -1;

    private SpawnGate(string directory, int directoryFd, int ready)
    {
        _directory = directory;
        DirectoryFd = directoryFd;
        ReadyFd = ready;
    }

    /// <summary>An O_PATH descriptor of the directory: the child fchdir(2)s to it.</summary>
    public int DirectoryFd { get; private set; }

    /// <summary>The launcher's non-blocking reader of <c>ready</c> (poll it for POLLHUP).</summary>
    public int ReadyFd { get; private set; }

    public static SpawnGate Create(string directory, uint uid, uint gid)
    {
        const uint owner = 0x1C0; // 0700
        const uint fifo = 0x180; // 0600
        var parent = Path.GetDirectoryName(directory)!;
        if (!Directory.Exists(parent))
        {
            PrivateDirectory.Create(parent); // RUNROOT too, when it is not there yet: 0700 all the way
        }

        if (LibC.mkdir(directory, owner) < 0 && Sys.LastErrno != LibC.EEXIST)
        {
            throw LinuxException.FromLastError("mkdir", directory);
        }

        var ready = -1;
        var dirFd = -1;
        try
        {
            foreach (var name in new[] { ReadyName, GoName })
            {
                var path = Path.Combine(directory, name);
                Sys.Mknod(path, LibC.S_IFIFO | fifo, 0);
                Sys.Lchown(path, uid, gid);
            }

            Sys.Lchown(directory, uid, gid);
            dirFd = LibC.open(directory, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
            Sys.Check(dirFd, "open", directory);
            // A non-blocking open for reading never waits for a writer (fifo(7)).
            ready = LibC.openat(dirFd, ReadyName, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
            Sys.Check(ready, "open", Path.Combine(directory, ReadyName));
            return new SpawnGate(directory, dirFd, ready);
        }
        catch
        {
            if (dirFd >= 0)
            {
                LibC.close(dirFd);
            }

            Remove(directory);
            throw;
        }
    }

    /// <summary>Lets the child go on to execve: a reader on <c>go</c> completes its blocked open.</summary>
    public void Open()
    {
        if (_go < 0)
        {
            _go = LibC.openat(DirectoryFd, GoName, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
            Sys.Check(_go, "open", Path.Combine(_directory, GoName));
        }
    }

    public void Dispose()
    {
        foreach (var fd in new[] { _go, ReadyFd, DirectoryFd })
        {
            if (fd >= 0)
            {
                LibC.close(fd);
            }
        }

        _go = ReadyFd = DirectoryFd = -1;
        Remove(_directory);
    }

    private static void Remove(string directory)
    {
        foreach (var name in new[] { ReadyName, GoName })
        {
            _ = LibC.unlink(Path.Combine(directory, name));
        }

        _ = LibC.rmdir(directory);
    }
}
