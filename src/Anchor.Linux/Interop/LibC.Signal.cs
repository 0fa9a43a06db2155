using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// signal.h: a thread's signal mask (pthread_sigmask(3)) and its sets (sigsetops(3)).
public static unsafe partial class LibC
{
    public const int SIG_BLOCK = 0;
    public const int SIG_UNBLOCK = 1;

    [LibraryImport(Lib)]
    public static partial int pthread_sigmask(int how, void* set, void* oldset);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int sigaddset(void* set, int signum);
}
