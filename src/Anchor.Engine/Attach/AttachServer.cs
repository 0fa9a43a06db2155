using Anchor.Engine.Monitor;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Engine.Attach;

/// <summary>
/// The monitor's attach socket (conmon's <c>attach</c> socket): a unix stream socket, mode 0600 in a
/// 0700 directory, listening for the monitor's whole life. While the container runs, one
/// <see cref="AttachRelay"/> thread polls the container's output, the socket and every client;
/// when the container ends, each client gets the rest of its output and an exit frame, then is closed.
/// </summary>
public sealed class AttachServer : IDisposable
{
    private readonly string _path;
    private readonly int _wakeRead;
    private readonly int _wakeWrite;
    private Thread? _relay;

    private AttachServer(string path, int listener)
    {
        _path = path;
        Listener = listener;
        (_wakeRead, _wakeWrite) = Sys.Pipe();
        UnixSocket.SetNonBlocking(_wakeRead, true);
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

    /// <summary>Relays between the running container and the clients on a thread of its own.</summary>
    public void StartRelay(ContainerStdio stdio, JsonLogWriter log)
    {
        var relay = new AttachRelay(this, stdio, log, _wakeRead);
        _relay = new Thread(relay.Run) { IsBackground = true, Name = "anchor-attach" };
        _relay.Start();
    }

    /// <summary>
    /// Waits up to <paramref name="grace"/> for the relay to read the container's output to its end
    /// (a process the container left behind may hold the pipes open), then stops it.
    /// </summary>
    public void EndRelay(TimeSpan grace)
    {
        if (_relay is null)
        {
            return;
        }

        if (!_relay.Join(grace))
        {
            Sys.WriteAll(_wakeWrite, [1]);
            _relay.Join();
        }

        _relay = null;
        DrainWake();
    }

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

    private unsafe void DrainWake()
    {
        var buffer = stackalloc byte[16];
        while (LibC.read(_wakeRead, buffer, 16) > 0)
        {
        }
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

        LibC.close(_wakeRead);
        LibC.close(_wakeWrite);
    }
}
