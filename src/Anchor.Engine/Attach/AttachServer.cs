using Anchor.Engine.Monitor;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Attach;

/// <summary>
/// The monitor's attach socket (conmon's <c>attach</c> socket): a unix stream socket, mode 0600 in a
/// 0700 directory, listening for the monitor's whole life. While the container runs, the monitor's
/// thread runs an <see cref="AttachRelay"/> that polls the container's output, the socket and every client;
/// when the container ends, each client gets the rest of its output and an exit frame, then is closed.
/// </summary>
public sealed class AttachServer : IDisposable
{
    private readonly string _path;

    private AttachServer(string path, int listener)
    {
        _path = path;
        Listener = listener;
    }

    internal int Listener { get; private set; }

    internal List<AttachConnection> Clients { get; } = [];

    /// <summary>Binds and listens at <paramref name="path"/> (its directory is made 0700).</summary>
    public static AttachServer Open(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        PrivateDirectory.Create(directory); // RUNROOT and RUNROOT/containers too
        Sys.Chmod(directory, 0x1C0); // 0700
        return new AttachServer(path, UnixSocket.Listen(path, 0x180)); // 0600
    }

    /// <summary>Takes a client connected before the container started (start -a): it misses no output.</summary>
    public void Adopt(int fd)
    {
        Sys.SetInheritable(fd, false);
        UnixSocket.SetNonBlocking(fd, true);
        Clients.Add(new AttachConnection(fd));
    }

    /// <summary>The relay between the running container and the clients, run by the caller's thread.</summary>
    internal AttachRelay Relay(ContainerStdio stdio, JsonLogWriter log) => new(this, stdio, log);

    /// <summary>The container ended: every client gets its remaining output and the exit code, then is closed.</summary>
    public void Finish(int exitCode)
    {
        var exit = AttachFrame.Exit(exitCode);
        foreach (var client in Clients)
        {
            client.Finish(exit, TimeSpan.FromSeconds(2));
        }

        Clients.Clear();
    }

    public void Dispose()
    {
        foreach (var client in Clients)
        {
            client.Dispose();
        }

        Clients.Clear();
        if (Listener >= 0)
        {
            LibC.close(Listener);
            Listener = -1;
            LibC.unlink(_path);
            LibC.rmdir(Path.GetDirectoryName(_path)!);
        }
    }
}
