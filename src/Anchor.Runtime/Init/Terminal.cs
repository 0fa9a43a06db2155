using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Init;

/// <summary>
/// The container's pty, made from inside so that it belongs to the container's devpts instance:
/// open /dev/ptmx, unlock (TIOCSPTLCK), open the peer with TIOCGPTPEER (no path lookup, so no
/// race on /dev/pts/N; ioctl_tty(2)). The slave becomes the controlling terminal in the exec tail.
/// </summary>
public static class Terminal
{
    public static (int Master, int Slave) Open()
    {
        var master = LibC.open("/dev/ptmx", LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC, 0);
        Sys.Check(master, "open", "/dev/ptmx");
        unsafe
        {
            var unlock = 0;
            Sys.Check(LibC.ioctl(master, LibC.TIOCSPTLCK, (nint)(&unlock)), "ioctl TIOCSPTLCK");
        }

        var slave = LibC.ioctl(master, LibC.TIOCGPTPEER, LibC.O_RDWR | LibC.O_NOCTTY);
        Sys.Check(slave, "ioctl TIOCGPTPEER");
        return (master, slave);
    }
}
