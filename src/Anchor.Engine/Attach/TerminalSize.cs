using Anchor.Linux.Interop;

namespace Anchor.Engine.Attach;

/// <summary>A pty's window size: TIOCSWINSZ on its master (tty_ioctl(4); the kernel signals SIGWINCH to the foreground process group).</summary>
public static unsafe class TerminalSize
{
    public static void Set(int ptyMaster, ushort rows, ushort columns)
    {
        var size = new LibC.Winsize { ws_row = rows, ws_col = columns };
        LibC.ioctl(ptyMaster, LibC.TIOCSWINSZ, (nint)(&size));
    }
}
