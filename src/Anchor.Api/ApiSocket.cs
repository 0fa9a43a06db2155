using System.Net.Sockets;
using Anchor.Engine;
using Anchor.Linux;

namespace Anchor.Api;

/// <summary>
/// The listening unix socket, made so that no client ever sees it with the wrong owner or mode:
/// bound under a temporary name in the same directory, chmod 0660 and chown root:GROUP, listening,
/// then renamed over the final name (rename(2) is atomic within a file system). A socket file
/// nobody answers on is a dead server's and is replaced; one that answers is refused.
/// </summary>
public sealed class ApiSocket : IDisposable
{
    private const uint Mode = 0x1B0; // 0660: root and the group (dockerd's default socket mode)
    private const int Backlog = 512;

    private ApiSocket(Socket listener, string path)
    {
        Listener = listener;
        Path = path;
    }

    public Socket Listener { get; }

    public string Path { get; }

    public static ApiSocket Create(string path, uint gid)
    {
        if (IsAnswered(path))
        {
            throw new EngineException($"cannot listen on {path}: another server is already listening on it");
        }

        var directory = System.IO.Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Environment.ProcessId}");
        File.Delete(temporary);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(temporary));
            Sys.Chmod(temporary, Mode);
            Sys.Lchown(temporary, 0, gid);
            listener.Listen(Backlog);
            File.Move(temporary, path, overwrite: true);
            return new ApiSocket(listener, path);
        }
        catch
        {
            listener.Dispose();
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Whether a server accepts connections at PATH (a refused connection is a stale file).</summary>
    public static bool IsAnswered(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The socket file goes with the server: a client then gets "no such file", not a refused connection.</summary>
    public void Dispose()
    {
        Listener.Dispose();
        File.Delete(Path);
    }
}
