using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/wait.h: waitid(2).
public static unsafe partial class LibC
{
    public const int P_PID = 1;
    public const int WEXITED = 4;

    /// <summary>Leave the child waitable: whoever else reaps it (here .NET's Process) still can.</summary>
    public const int WNOWAIT = 0x01000000;

    public const int CLD_EXITED = 1;

    /// <summary>siginfo_t is 128 bytes; for SIGCHLD si_code is at 8 and si_status at 24 (x86-64 and arm64).</summary>
    public const int SiginfoSize = 128;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitid(int idtype, int id, byte* infop, int options);

    public const int WNOHANG = 1;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);
}
