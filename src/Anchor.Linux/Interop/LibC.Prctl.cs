using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/prctl.h: prctl(2)
public static unsafe partial class LibC
{
    public const int PR_SET_PDEATHSIG = 1;
    public const int PR_SET_NAME = 15;
    public const int PR_CAPBSET_DROP = 24;
    public const int PR_SET_NO_NEW_PRIVS = 38;
    public const int PR_CAP_AMBIENT = 47;
    public const int PR_CAP_AMBIENT_CLEAR_ALL = 4;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
