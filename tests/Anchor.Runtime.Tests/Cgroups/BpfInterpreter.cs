using System.Buffers.Binary;

namespace Anchor.Runtime.Tests.Cgroups;

/// <summary>
/// Runs a device program on one request, for the instructions <see cref="Anchor.Runtime.Cgroups.DeviceFilterProgram"/>
/// emits (Documentation/bpf/standardization/instruction-set.rst): 32-bit loads from the context, ALU32
/// and/rsh/mov (the upper half of the destination cleared), 64-bit jumps (imm sign-extended), exit.
/// Anything else fails the test: the kernel's verifier would have to be asked about it.
/// </summary>
internal static class BpfInterpreter
{
    /// <summary>The verdict for struct bpf_cgroup_dev_ctx { access_type = access &lt;&lt; 16 | type, major, minor }.</summary>
    public static ulong Run(byte[] program, int type, int access, uint major, uint minor)
    {
        var ctx = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(ctx, (uint)((access << 16) | type));
        BinaryPrimitives.WriteUInt32LittleEndian(ctx.AsSpan(4), major);
        BinaryPrimitives.WriteUInt32LittleEndian(ctx.AsSpan(8), minor);
        var r = new ulong[11];
        const ulong CtxPointer = 0x1000;
        r[1] = CtxPointer;
        var pc = 0;
        for (var steps = 0; steps < 10_000; steps++)
        {
            var insn = program.AsSpan(pc * 8, 8);
            var code = insn[0];
            var dst = insn[1] & 0xF;
            var src = insn[1] >> 4;
            var off = BinaryPrimitives.ReadInt16LittleEndian(insn[2..]);
            var imm = BinaryPrimitives.ReadInt32LittleEndian(insn[4..]);
            pc++;
            switch (code)
            {
                case 0x61: // ldxw dst, [src + off]
                    Assert.Equal(CtxPointer, r[src]);
                    r[dst] = BinaryPrimitives.ReadUInt32LittleEndian(ctx.AsSpan((int)(r[src] - CtxPointer) + off, 4));
                    break;
                case 0x54: // and32 dst, imm
                    r[dst] = (uint)r[dst] & (uint)imm;
                    break;
                case 0x74: // rsh32 dst, imm
                    r[dst] = (uint)r[dst] >> imm;
                    break;
                case 0xbc: // mov32 dst, src
                    r[dst] = (uint)r[src];
                    break;
                case 0xb4: // mov32 dst, imm
                    r[dst] = (uint)imm;
                    break;
                case 0x55: // jne dst, imm
                    pc += r[dst] != (ulong)(long)imm ? off : 0;
                    break;
                case 0x15: // jeq dst, imm
                    pc += r[dst] == (ulong)(long)imm ? off : 0;
                    break;
                case 0x5d: // jne dst, src
                    pc += r[dst] != r[src] ? off : 0;
                    break;
                case 0x95: // exit
                    return r[0];
                default:
                    Assert.Fail($"instruction {pc - 1}: unexpected opcode 0x{code:x2}");
                    break;
            }
        }

        Assert.Fail("the program did not exit");
        return 0;
    }
}
