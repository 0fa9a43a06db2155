using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Init;

/// <summary>
/// The container's pty, made from inside so that it belongs to the container's devpts instance:
/// open /dev/ptmx, unlock (TIOCSPTLCK), open the peer with TIOCGPTPEER (no path lookup, so no
/// race on /dev/pts/N; ioctl_tty(2)). The launcher copies the master with pidfd_getfd(2).
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

    /// <summary>Makes the slave the controlling terminal of a new session and the process's stdio.</summary>
    public static void BecomeControlling(int slave)
    {
        Sys.Check(LibC.setsid(), "setsid");
        Sys.Check(LibC.ioctl(slave, LibC.TIOCSCTTY, 0), "ioctl TIOCSCTTY");
        for (var fd = 0; fd <= 2; fd++)
        {
            Sys.Check(LibC.dup2(slave, fd), "dup2");
        }

        if (slave > 2)
        {
            LibC.close(slave);
        }
    }
}
