using System.Buffers.Binary;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// Compiles a <see cref="DeviceRuleSet"/> into a BPF_PROG_TYPE_CGROUP_DEVICE program: cgroup v2 has no
/// devices controller, the kernel instead runs the programs attached to the cgroup on every mknod and
/// open of a device node (Documentation/admin-guide/cgroup-v2.rst "Device controller"), and refuses
/// the access when one returns 0. The layout is systemd's, crun's (src/libcrun/ebpf.c) and runc's
/// (devicefilter.go): load the request, then one block per exception that returns the exception's
/// verdict when it matches, and the default verdict at the end. The exceptions all carry the same
/// verdict (the opposite of the default), so their order does not matter and the program decides
/// exactly as the v1 controller would for the same writes (<see cref="DeviceRuleSet.Permits"/>).
/// </summary>
public static class DeviceFilterProgram
{
    public const int InstructionSize = 8;

    private const byte R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5;

    /// <summary>The program's instructions (struct bpf_insn, little-endian), ready for BPF_PROG_LOAD.</summary>
    public static byte[] Assemble(DeviceRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var program = new List<byte>(512);

        // struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; } in R1:
        // R2 = device type (low 16 bits), R3 = access asked for (high 16 bits), R4 = major, R5 = minor.
        Emit(program, LibC.BPF_LDX | LibC.BPF_W | LibC.BPF_MEM, R2, R1, 0, 0);
        Emit(program, LibC.BPF_ALU | LibC.BPF_AND | LibC.BPF_K, R2, 0, 0, 0xFFFF);
        Emit(program, LibC.BPF_LDX | LibC.BPF_W | LibC.BPF_MEM, R3, R1, 0, 0);
        Emit(program, LibC.BPF_ALU | LibC.BPF_RSH | LibC.BPF_K, R3, 0, 0, 16);
        Emit(program, LibC.BPF_LDX | LibC.BPF_W | LibC.BPF_MEM, R4, R1, 4, 0);
        Emit(program, LibC.BPF_LDX | LibC.BPF_W | LibC.BPF_MEM, R5, R1, 8, 0);

        foreach (var rule in rules.Exceptions)
        {
            AppendBlock(program, rule);
        }

        Return(program, rules.DefaultAllow);
        return [.. program];
    }

    /// <summary>
    /// if (type != rule.type) goto next; access test; if (major != rule.major) goto next;
    /// if (minor != rule.minor) goto next; return verdict; next: …  A wildcard number has no test.
    /// The access test of an allow exception asks that it grant every bit requested
    /// ((access &amp; rule) == access); that of a deny exception (allow-all default) that it share one
    /// ((access &amp; rule) != 0), as match_exception and match_exception_partial do in device_cgroup.c.
    /// With rwm both tests always pass (an access asks for at least one bit), so it is left out.
    /// </summary>
    private static void AppendBlock(List<byte> program, DeviceRule rule)
    {
        var hasAccess = rule.Access != DeviceAccess.All;
        var hasMajor = rule.Major != DeviceRule.Wildcard;
        var hasMinor = rule.Minor != DeviceRule.Wildcard;

        // Jumps count from the next instruction; "next" is the first instruction after the verdict's two.
        var left = 1 + (hasAccess ? 3 : 0) + (hasMajor ? 1 : 0) + (hasMinor ? 1 : 0) + 2;
        short Skip(int used) => (short)(left - used);

        var type = rule.Type == 'b' ? LibC.BPF_DEVCG_DEV_BLOCK : LibC.BPF_DEVCG_DEV_CHAR;
        Emit(program, LibC.BPF_JMP | LibC.BPF_JNE | LibC.BPF_K, R2, 0, Skip(1), type);
        left--;
        if (hasAccess)
        {
            Emit(program, LibC.BPF_ALU | LibC.BPF_MOV | LibC.BPF_X, R1, R3, 0, 0);
            Emit(program, LibC.BPF_ALU | LibC.BPF_AND | LibC.BPF_K, R1, 0, 0, (int)rule.Access);
            if (rule.Allow)
            {
                Emit(program, LibC.BPF_JMP | LibC.BPF_JNE | LibC.BPF_X, R1, R3, Skip(3), 0);
            }
            else
            {
                Emit(program, LibC.BPF_JMP | LibC.BPF_JEQ | LibC.BPF_K, R1, 0, Skip(3), 0);
            }

            left -= 3;
        }

        if (hasMajor)
        {
            Emit(program, LibC.BPF_JMP | LibC.BPF_JNE | LibC.BPF_K, R4, 0, Skip(1), (int)rule.Major);
            left--;
        }

        if (hasMinor)
        {
            Emit(program, LibC.BPF_JMP | LibC.BPF_JNE | LibC.BPF_K, R5, 0, Skip(1), (int)rule.Minor);
        }

        Return(program, rule.Allow);
    }

    /// <summary>w0 = verdict; exit.</summary>
    private static void Return(List<byte> program, bool allow)
    {
        Emit(program, LibC.BPF_ALU | LibC.BPF_MOV | LibC.BPF_K, R0, 0, 0, allow ? 1 : 0);
        Emit(program, LibC.BPF_JMP | LibC.BPF_EXIT, 0, 0, 0, 0);
    }

    /// <summary>struct bpf_insn: u8 code; u8 dst_reg:4, src_reg:4 (dst in the low nibble); s16 off; s32 imm.</summary>
    private static void Emit(List<byte> program, int code, byte dst, byte src, short off, int imm)
    {
        Span<byte> insn = stackalloc byte[InstructionSize];
        insn[0] = (byte)code;
        insn[1] = (byte)((src << 4) | dst);
        BinaryPrimitives.WriteInt16LittleEndian(insn[2..], off);
        BinaryPrimitives.WriteInt32LittleEndian(insn[4..], imm);
        program.AddRange(insn);
    }
}
