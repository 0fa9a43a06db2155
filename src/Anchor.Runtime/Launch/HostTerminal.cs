using Anchor.Linux.Interop;

namespace Anchor.Runtime.Launch;

/// <summary>The user's terminal: raw mode while attached to a container's pty, and its window size.</summary>
public sealed unsafe class HostTerminal : IDisposable
{
    private readonly int _fd;
    private readonly byte[] _saved = new byte[LibC.TermiosSize];
    private readonly bool _active;

    private HostTerminal(int fd)
    {
        _fd = fd;
        fixed (byte* saved = _saved)
        {
            if (LibC.tcgetattr(fd, saved) != 0)
            {
                return;
            }

            var raw = stackalloc byte[LibC.TermiosSize];
            new Span<byte>(saved, LibC.TermiosSize).CopyTo(new Span<byte>(raw, LibC.TermiosSize));
            LibC.cfmakeraw(raw);
            _active = LibC.tcsetattr(fd, LibC.TCSANOW, raw) == 0;
        }
    }

    /// <summary>Puts <paramref name="fd"/> in raw mode when it is a terminal; restores it on Dispose.</summary>
    public static HostTerminal? MakeRaw(int fd) => LibC.isatty(fd) == 1 ? new HostTerminal(fd) : null;

    public static void CopySize(int from, int to)
    {
        LibC.Winsize size;
        if (LibC.ioctl(from, LibC.TIOCGWINSZ, (nint)(&size)) == 0)
        {
            LibC.ioctl(to, LibC.TIOCSWINSZ, (nint)(&size));
        }
    }

    public void Dispose()
    {
        if (_active)
        {
            fixed (byte* saved = _saved)
            {
                LibC.tcsetattr(_fd, LibC.TCSANOW, saved);
            }
        }
    }
}
