using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

/// <summary>
/// The project's own C (Native/anchor_exec.c): the exec tail and the gated spawn. The structs mirror
/// that file's <c>struct anchor_exec</c> and <c>struct anchor_spawn</c> field for field.
/// </summary>
public static unsafe partial class AnchorNative
{
    private const string Lib = "libanchor_native";

    public const uint SETSID = 0x1;
    public const uint CTTY = 0x2;
    public const uint CGROUPNS = 0x4;
    public const uint NNP = 0x8;
    public const uint KEYRING = 0x10;
    public const uint CAPS = 0x20;
    public const uint GROUPS = 0x40;
    public const uint OOM = 0x80;

    [StructLayout(LayoutKind.Sequential)]
    public struct ExecArgs
    {
        public byte* path;
        public byte** argv;
        public byte** envp;
        public uint* groups;
        public void* filter;
        public ulong bounding;
        public ulong effective;
        public ulong permitted;
        public ulong inheritable;
        public ulong ambient;
        public int stdin_fd;
        public int stdout_fd;
        public int stderr_fd;
        public uint uid;
        public uint gid;
        public int ngroups;
        public uint flags;
        public uint filter_len;
        public uint filter_flags;
        public int last_cap;
        public int error;
        public int step;
        public int* trace;
        public int trace_capacity;
        public int trace_count;
        public ulong* rlimits;
        public int nrlimits;
        public int oom_score_adj;
        public int detail;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct SpawnArgs
    {
        public ExecArgs* exec;
        public int ready_fd;
        public int gate_fd;
        public int pid;
        public int ncgroup_fds;
        public int* cgroup_fds;
        public int userns_fd;
    }

    /// <summary>struct anchor_userns: the maker of a container's user namespace.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct UsernsArgs
    {
        public int clone_flags;
        public int ready_fd;
        public int gate_fd;
        public int error;
        public int step;
        public void* stack;
    }

    /// <summary>Does nothing: loads the library (JIT runs) before a thread leaves the host's root.</summary>
    [LibraryImport(Lib)]
    public static partial int anchor_loaded();

    /// <summary>Runs the exec tail on the calling thread; returns only on failure (-1, with error and step set).</summary>
    [LibraryImport(Lib)]
    public static partial int anchor_exec(ExecArgs* exec);

    /// <summary>Starts a gated child of the calling thread; its pid, or -1 (error and step set).</summary>
    [LibraryImport(Lib)]
    public static partial int anchor_spawn(SpawnArgs* spawn);

    /// <summary>Starts a child in a new user namespace (and the other namespaces of clone_flags, owned by it); its pid, or -1 (error set).</summary>
    [LibraryImport(Lib)]
    public static partial int anchor_userns_start(UsernsArgs* userns);

    /// <summary>Frees that child's stack once it has been reaped.</summary>
    [LibraryImport(Lib)]
    public static partial void anchor_userns_finish(UsernsArgs* userns);
}
