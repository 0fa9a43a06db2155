using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// linux/seccomp.h, linux/filter.h: seccomp(2), which glibc 2.36 does not wrap.
public static unsafe partial class LibC
{
    public const long SYS_seccomp = 317;

    public const uint SECCOMP_SET_MODE_FILTER = 1;

    public const uint SECCOMP_FILTER_FLAG_TSYNC = 1u << 0;
    public const uint SECCOMP_FILTER_FLAG_LOG = 1u << 1;
    public const uint SECCOMP_FILTER_FLAG_SPEC_ALLOW = 1u << 2;
    public const uint SECCOMP_FILTER_FLAG_NEW_LISTENER = 1u << 3;
    public const uint SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV = 1u << 5;

    /// <summary>The kernel's limit on one classic BPF program (BPF_MAXINSNS, linux/bpf_common.h).</summary>
    public const int BPF_MAXINSNS = 4096;

    /// <summary>struct sock_filter: one classic BPF instruction, 8 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct sock_filter
    {
        public ushort code;
        public byte jt;
        public byte jf;
        public uint k;
    }

    /// <summary>struct sock_fprog: the program's length in instructions and where they are.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct sock_fprog
    {
        public ushort len;
        public sock_filter* filter;
    }

    /// <summary>
    /// seccomp(2). With SECCOMP_SET_MODE_FILTER and a sock_fprog it attaches the program to the
    /// calling thread only (unless SECCOMP_FILTER_FLAG_TSYNC); that needs no_new_privs or
    /// CAP_SYS_ADMIN in the thread's user namespace.
    /// </summary>
    public static int seccomp(uint operation, uint flags, void* args) =>
        (int)syscall(SYS_seccomp, (nint)operation, (nint)flags, (nint)args);
}
