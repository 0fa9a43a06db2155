using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// sys/resource.h: getrlimit(2). The stack limit decides how much argv + envp execve(2) accepts.
public static unsafe partial class LibC
{
    public const int RLIMIT_STACK = 3;

    public const ulong RLIM_INFINITY = ulong.MaxValue;

    /// <summary>struct rlimit on x86_64: two rlim_t (unsigned long).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Rlimit
    {
        public ulong rlim_cur;
        public ulong rlim_max;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int getrlimit(int resource, Rlimit* rlim);
}
