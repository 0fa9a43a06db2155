using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sched.h: unshare(2), setns(2)
public static unsafe partial class LibC
{
    public const int CLONE_FS = 0x00000200;
    public const int CLONE_NEWNS = 0x00020000;
    public const int CLONE_NEWCGROUP = 0x02000000;
    public const int CLONE_NEWUTS = 0x04000000;
    public const int CLONE_NEWIPC = 0x08000000;
    public const int CLONE_NEWUSER = 0x10000000;
    public const int CLONE_NEWPID = 0x20000000;
    public const int CLONE_NEWNET = 0x40000000;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int unshare(int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    /// <summary>sched(7): runs only when a CPU would otherwise be idle.</summary>
    public const int SCHED_IDLE = 5;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int sched_setscheduler(int pid, int policy, int* param);
}
