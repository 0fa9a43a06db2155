using System.Buffers.Binary;

namespace Anchor.Runtime.Tests.Security;

/// <summary>
/// Runs a seccomp classic BPF program (struct sock_filter[], host byte order) on one struct
/// seccomp_data, as the kernel would (Documentation/networking/filter.rst): so tests can ask what a
/// compiled filter answers for any call on any architecture without installing it.
/// </summary>
internal static class BpfMachine
{
    public const uint AuditArchX86_64 = 0xc000003e;
    public const uint AuditArchI386 = 0x40000003;
    public const uint X32Bit = 0x40000000;

    /// <summary>The filter's return value (SECCOMP_RET_*) for the call.</summary>
    public static uint Run(ReadOnlySpan<byte> program, long nr, uint arch, params ulong[] args)
    {
        Span<byte> data = stackalloc byte[64];
        data.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(data, (uint)nr);
        BinaryPrimitives.WriteUInt32LittleEndian(data[4..], arch);
        for (var i = 0; i < args.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(data[(16 + (8 * i))..], args[i]);
        }

        uint a = 0, x = 0;
        Span<uint> memory = stackalloc uint[16];
        memory.Clear();
        var count = program.Length / 8;
        for (var pc = 0; pc < count; pc++)
        {
            var insn = program.Slice(pc * 8, 8);
            var code = BinaryPrimitives.ReadUInt16LittleEndian(insn);
            var jt = insn[2];
            var jf = insn[3];
            var k = BinaryPrimitives.ReadUInt32LittleEndian(insn[4..]);
            var src = (code & 0x08) != 0 ? x : k;
            switch (code & 0x07)
            {
                case 0x00: // LD
                    a = (code & 0xe0) switch
                    {
                        0x20 => BinaryPrimitives.ReadUInt32LittleEndian(data[(int)k..]), // ABS
                        0x00 => k,                                                        // IMM
                        0x60 => memory[(int)k],                                           // MEM
                        0x80 => 64,                                                       // LEN
                        _ => throw new InvalidOperationException($"ld mode {code:x}"),
                    };
                    break;
                case 0x01: // LDX
                    x = (code & 0xe0) switch
                    {
                        0x00 => k,
                        0x60 => memory[(int)k],
                        0x80 => 64,
                        _ => throw new InvalidOperationException($"ldx mode {code:x}"),
                    };
                    break;
                case 0x02: // ST
                    memory[(int)k] = a;
                    break;
                case 0x03: // STX
                    memory[(int)k] = x;
                    break;
                case 0x04: // ALU
                    a = (code & 0xf0) switch
                    {
                        0x00 => a + src,
                        0x10 => a - src,
                        0x20 => a * src,
                        0x30 => a / src,
                        0x40 => a | src,
                        0x50 => a & src,
                        0x60 => a << (int)src,
                        0x70 => a >> (int)src,
                        0x80 => (uint)-(int)a,
                        0x90 => a % src,
                        0xa0 => a ^ src,
                        _ => throw new InvalidOperationException($"alu {code:x}"),
                    };
                    break;
                case 0x05: // JMP
                    if ((code & 0xf0) == 0x00)
                    {
                        pc += (int)k;
                        break;
                    }

                    var taken = (code & 0xf0) switch
                    {
                        0x10 => a == src,
                        0x20 => a > src,
                        0x30 => a >= src,
                        0x40 => (a & src) != 0,
                        _ => throw new InvalidOperationException($"jmp {code:x}"),
                    };
                    pc += taken ? jt : jf;
                    break;
                case 0x06: // RET
                    return (code & 0x18) == 0x10 ? a : k;
                case 0x07: // MISC
                    if ((code & 0xf8) == 0x00)
                    {
                        x = a; // TAX
                    }
                    else
                    {
                        a = x; // TXA
                    }

                    break;
            }
        }

        throw new InvalidOperationException("the program ran off its end");
    }
}
