using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

/// <summary>
/// seccomp.h: libseccomp 2.5 (Debian's libseccomp2), which turns rules into a classic BPF program.
/// Bound lazily: Anchor.Cli binds only libc at link time (DirectPInvoke), so the library is loaded
/// by the first call made here, which only a compilation of a program not yet cached makes.
/// Functions return 0 or a negative errno (they do not set errno); C names kept.
/// </summary>
public static unsafe partial class LibSeccomp
{
    /// <summary>The soname: only the runtime package is needed (no libseccomp.so development link).</summary>
    public const string Lib = "libseccomp.so.2";

    // enum scmp_filter_attr
    public const int SCMP_FLTATR_ACT_DEFAULT = 1;
    public const int SCMP_FLTATR_ACT_BADARCH = 2;
    public const int SCMP_FLTATR_CTL_NNP = 3;
    public const int SCMP_FLTATR_CTL_TSYNC = 4;
    public const int SCMP_FLTATR_API_TSKIP = 5;
    public const int SCMP_FLTATR_CTL_LOG = 6;
    public const int SCMP_FLTATR_CTL_SSB = 7;
    public const int SCMP_FLTATR_CTL_OPTIMIZE = 8;

    // enum scmp_compare
    public const int SCMP_CMP_NE = 1;
    public const int SCMP_CMP_LT = 2;
    public const int SCMP_CMP_LE = 3;
    public const int SCMP_CMP_EQ = 4;
    public const int SCMP_CMP_GE = 5;
    public const int SCMP_CMP_GT = 6;
    public const int SCMP_CMP_MASKED_EQ = 7;

    // Actions (the kernel's SECCOMP_RET_* values, seccomp(2)).
    public const uint SCMP_ACT_KILL_PROCESS = 0x80000000;
    public const uint SCMP_ACT_KILL_THREAD = 0x00000000;
    public const uint SCMP_ACT_TRAP = 0x00030000;
    public const uint SCMP_ACT_NOTIFY = 0x7fc00000;
    public const uint SCMP_ACT_LOG = 0x7ffc0000;
    public const uint SCMP_ACT_ALLOW = 0x7fff0000;

    public static uint SCMP_ACT_ERRNO(uint errno) => 0x00050000 | (errno & 0xffff);

    public static uint SCMP_ACT_TRACE(uint value) => 0x7ff00000 | (value & 0xffff);

    // Architecture tokens: AUDIT_ARCH_* (linux/audit.h), except x32's, which libseccomp invents.
    public const uint SCMP_ARCH_NATIVE = 0;
    public const uint SCMP_ARCH_X86 = 0x40000003;
    public const uint SCMP_ARCH_X86_64 = 0xc000003e;
    public const uint SCMP_ARCH_X32 = 0x4000003e;

    /// <summary>What a name that no table knows resolves to (__NR_SCMP_ERROR).</summary>
    public const int __NR_SCMP_ERROR = -1;

    [StructLayout(LayoutKind.Sequential)]
    public struct scmp_version
    {
        public uint major;
        public uint minor;
        public uint micro;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct scmp_arg_cmp
    {
        public uint arg;
        public int op;
        public ulong datum_a;
        public ulong datum_b;
    }

    [LibraryImport(Lib)]
    public static partial scmp_version* seccomp_version();

    /// <summary>Returns a filter context (scmp_filter_ctx), or null.</summary>
    [LibraryImport(Lib)]
    public static partial nint seccomp_init(uint def_action);

    [LibraryImport(Lib)]
    public static partial int seccomp_reset(nint ctx, uint def_action);

    [LibraryImport(Lib)]
    public static partial void seccomp_release(nint ctx);

    [LibraryImport(Lib)]
    public static partial uint seccomp_arch_native();

    /// <summary>libseccomp's own names (x86_64, x86, x32, aarch64, …); 0 when unknown.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint seccomp_arch_resolve_name(string arch_name);

    [LibraryImport(Lib)]
    public static partial int seccomp_arch_add(nint ctx, uint arch_token);

    [LibraryImport(Lib)]
    public static partial int seccomp_arch_remove(nint ctx, uint arch_token);

    [LibraryImport(Lib)]
    public static partial int seccomp_attr_set(nint ctx, int attr, uint value);

    /// <summary>The native number of <paramref name="name"/>, a negative pseudo number for a call the native ABI lacks, or __NR_SCMP_ERROR.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int seccomp_syscall_resolve_name(string name);

    /// <summary>As <see cref="seccomp_syscall_resolve_name"/> for one architecture (x32 numbers carry __X32_SYSCALL_BIT).</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int seccomp_syscall_resolve_name_arch(uint arch_token, string name);

    [LibraryImport(Lib)]
    public static partial int seccomp_rule_add_array(nint ctx, uint action, int syscall, uint arg_cnt, scmp_arg_cmp* arg_array);

    [LibraryImport(Lib)]
    public static partial int seccomp_rule_add_exact_array(nint ctx, uint action, int syscall, uint arg_cnt, scmp_arg_cmp* arg_array);

    /// <summary>Writes the program (struct sock_filter[], host byte order) to <paramref name="fd"/>.</summary>
    [LibraryImport(Lib)]
    public static partial int seccomp_export_bpf(nint ctx, int fd);
}
