using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/ioctl.h, asm-generic/ioctls.h: terminal ioctls.
public static unsafe partial class LibC
{
    public const nuint TIOCSCTTY = 0x540E;
    public const nuint TIOCGWINSZ = 0x5413;
    public const nuint TIOCSWINSZ = 0x5414;
    public const nuint TIOCSPTLCK = 0x40045431;
    public const nuint TIOCGPTPEER = 0x5441;

    [StructLayout(LayoutKind.Sequential)]
    public struct Winsize
    {
        public ushort ws_row;
        public ushort ws_col;
        public ushort ws_xpixel;
        public ushort ws_ypixel;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, nint arg);

    // termios.h: raw mode for the user's terminal while a -t container runs.
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int tcgetattr(int fd, byte* termios);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int tcsetattr(int fd, int optionalActions, byte* termios);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial void cfmakeraw(byte* termios);

    public const int TCSANOW = 0;
    /// <summary>sizeof(struct termios) on glibc x86_64 is 60; keep a larger buffer.</summary>
    public const int TermiosSize = 64;
}
