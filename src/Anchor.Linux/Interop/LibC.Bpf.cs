using System.Runtime.InteropServices;

namespace Anchor.Linux.Interop;

// linux/bpf.h and linux/bpf_common.h: bpf(2), which glibc does not wrap (syscall(2), x86_64 number),
// and the instruction encoding a BPF_PROG_TYPE_CGROUP_DEVICE program is written in
// (Documentation/bpf/standardization/instruction-set.rst).
public static unsafe partial class LibC
{
    public const long SYS_bpf = 321;

    // enum bpf_cmd
    public const int BPF_PROG_LOAD = 5;
    public const int BPF_PROG_ATTACH = 8;

    // enum bpf_prog_type, enum bpf_attach_type, attach flags
    public const uint BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    public const uint BPF_CGROUP_DEVICE = 6;
    public const uint BPF_F_ALLOW_MULTI = 1u << 1;

    // struct bpf_cgroup_dev_ctx: access_type = (access << 16) | type, then major, minor (u32 each).
    public const int BPF_DEVCG_ACC_MKNOD = 1;
    public const int BPF_DEVCG_ACC_READ = 2;
    public const int BPF_DEVCG_ACC_WRITE = 4;
    public const int BPF_DEVCG_DEV_BLOCK = 1;
    public const int BPF_DEVCG_DEV_CHAR = 2;

    // Instruction classes, sizes, modes, operations, sources (bpf_common.h, bpf.h).
    public const byte BPF_LDX = 0x01;
    public const byte BPF_ALU = 0x04;
    public const byte BPF_JMP = 0x05;
    public const byte BPF_ALU64 = 0x07;
    public const byte BPF_W = 0x00;
    public const byte BPF_MEM = 0x60;
    public const byte BPF_K = 0x00;
    public const byte BPF_X = 0x08;
    public const byte BPF_AND = 0x50;
    public const byte BPF_RSH = 0x70;
    public const byte BPF_MOV = 0xb0;
    public const byte BPF_JEQ = 0x10;
    public const byte BPF_JNE = 0x50;
    public const byte BPF_EXIT = 0x90;

    public const int BPF_OBJ_NAME_LEN = 16;

    /// <summary>The BPF_PROG_LOAD member of union bpf_attr, up to expected_attach_type (the kernel zero-fills the rest).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct bpf_attr_prog_load
    {
        public uint prog_type;
        public uint insn_cnt;
        public ulong insns;
        public ulong license;
        public uint log_level;
        public uint log_size;
        public ulong log_buf;
        public uint kern_version;
        public uint prog_flags;
        public fixed byte prog_name[BPF_OBJ_NAME_LEN];
        public uint prog_ifindex;
        public uint expected_attach_type;
    }

    /// <summary>The BPF_PROG_ATTACH member of union bpf_attr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct bpf_attr_prog_attach
    {
        public uint target_fd;
        public uint attach_bpf_fd;
        public uint attach_type;
        public uint attach_flags;
        public uint replace_bpf_fd;
    }

    /// <summary>bpf(2): returns a new descriptor (BPF_PROG_LOAD), 0, or -1 with errno.</summary>
    public static int bpf(int cmd, void* attr, uint size) => (int)syscall(SYS_bpf, cmd, (nint)attr, (nint)size);
}
