namespace Anchor.Engine.Attach;

/// <summary>
/// The first byte of an attach frame. 0-2 are docker's stdcopy stream ids (stdin, stdout, stderr);
/// the others are the attach socket's own control frames.
/// </summary>
public enum AttachStream : byte
{
    /// <summary>Client to monitor: bytes for the container's stdin (pipe or pty master).</summary>
    Stdin = 0,

    /// <summary>Monitor to client: the container's stdout (everything, with a terminal).</summary>
    Stdout = 1,

    /// <summary>Monitor to client: the container's stderr.</summary>
    Stderr = 2,

    /// <summary>Client to monitor: the terminal's size, rows then columns (two big-endian uint16).</summary>
    Resize = 4,

    /// <summary>Client to monitor: this client's stdin ended and the container's stdin is to close (StdinOnce).</summary>
    CloseStdin = 5,

    /// <summary>Monitor to client: the container ended with this exit code (big-endian int32); nothing follows.</summary>
    Exit = 6,
}
