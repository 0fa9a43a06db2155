using Anchor.Linux.Interop;

namespace Anchor.Runtime.Security;

/// <summary>
/// Classic BPF put in front of libseccomp's program so that a system call newer than every call the
/// profile names fails with ENOSYS instead of the default action (runc's idea, libcontainer/seccomp/
/// patchbpf). A default of EPERM for a call the kernel or libseccomp does not know breaks fallbacks:
/// glibc tries clone3, statx, faccessat2… and falls back only on ENOSYS. Per architecture (the
/// seccomp_data arch field) the stub compares the call number with the largest number the rules
/// name; on x86_64, x32 calls (bit 30 set) have their own largest number. Pure: no libseccomp here.
/// </summary>
internal static class SeccompEnosysStub
{
    private const ushort LdAbsW = 0x20;   // BPF_LD | BPF_W | BPF_ABS
    private const ushort Ja = 0x05;       // BPF_JMP | BPF_JA
    private const ushort JeqK = 0x15;     // BPF_JMP | BPF_JEQ | BPF_K
    private const ushort JgtK = 0x25;     // BPF_JMP | BPF_JGT | BPF_K
    private const ushort JsetK = 0x45;    // BPF_JMP | BPF_JSET | BPF_K
    private const ushort RetK = 0x06;     // BPF_RET | BPF_K

    private const uint NrOffset = 0;      // struct seccomp_data.nr
    private const uint ArchOffset = 4;    // struct seccomp_data.arch
    private const uint X32SyscallBit = 0x40000000;
    private const uint Enosys = 38;
    private const uint AuditArchS390 = 0x00000016;
    private const uint AuditArchS390X = 0x80000016;

    /// <summary>The largest call number the rules name for one ABI (an x32 number has bit 30 set).</summary>
    public readonly record struct LastSyscall(uint ArchToken, uint Number);

    /// <summary>AUDIT_ARCH_* of a libseccomp architecture token (x32's token is libseccomp's own).</summary>
    public static uint AuditArch(uint token) => token == LibSeccomp.SCMP_ARCH_X32 ? LibSeccomp.SCMP_ARCH_X86_64 : token;

    /// <summary>The stub, or an empty list when no architecture has a known call.</summary>
    public static List<LibC.sock_filter> Generate(IReadOnlyList<LastSyscall> lastSyscalls)
    {
        ArgumentNullException.ThrowIfNull(lastSyscalls);
        var sections = new List<List<Instruction>>();
        var arches = new List<uint>();
        foreach (var group in lastSyscalls.Where(l => l.Number > 0).GroupBy(l => AuditArch(l.ArchToken)))
        {
            arches.Add(group.Key);
            sections.Add(Section(group.Key, group.ToList()));
        }

        if (sections.Count == 0)
        {
            return [];
        }

        // ld arch; one jeq per architecture; ja filter; the sections.
        var dispatch = 1 + arches.Count + 1;
        var length = dispatch + sections.Sum(s => s.Count);
        var program = new List<LibC.sock_filter>(length) { Op(LdAbsW, ArchOffset) };
        var sectionStart = dispatch;
        for (var i = 0; i < arches.Count; i++)
        {
            program.Add(Jump(JeqK, arches[i], Relative(sectionStart, program.Count), 0));
            sectionStart += sections[i].Count;
        }

        program.Add(Op(Ja, (uint)(length - program.Count - 1)));
        foreach (var section in sections)
        {
            foreach (var instruction in section)
            {
                program.Add(instruction.ToFilter(program.Count, length));
            }
        }

        return program;
    }

    private static List<Instruction> Section(uint auditArch, List<LastSyscall> abis)
    {
        var section = new List<Instruction> { new(Op(LdAbsW, NrOffset)) };
        if (auditArch == LibSeccomp.SCMP_ARCH_X86_64)
        {
            var amd64 = abis.FirstOrDefault(a => a.ArchToken != LibSeccomp.SCMP_ARCH_X32);
            var x32 = abis.FirstOrDefault(a => a.ArchToken == LibSeccomp.SCMP_ARCH_X32);
            if (amd64.Number > 0 && x32.Number > 0)
            {
                // x32 calls (bit 30) skip the x86_64 check to their own.
                section.Add(new(Jump(JsetK, X32SyscallBit, 3, 0)));
                section.AddRange(Check(amd64.Number));
                section.AddRange(Check(x32.Number));
            }
            else if (amd64.Number > 0)
            {
                // An x32 call on a filter without x32 is left to the filter (bad architecture).
                section.Add(new(Jump(JsetK, X32SyscallBit, 2, 0)));
                section.AddRange(Check(amd64.Number));
            }
            else
            {
                section.Add(new(Jump(JsetK, X32SyscallBit, 0, 2)));
                section.AddRange(Check(x32.Number));
            }

            return section;
        }

        if (auditArch is AuditArchS390 or AuditArchS390X)
        {
            // A call number the s390 kernel does not know reaches the filter as 0 (the old setup(2),
            // used by nobody): ENOSYS for it too (runc's patchbpf does the same).
            section.Add(new(Jump(JeqK, 0, 1, 0)));
        }

        section.AddRange(Check(abis.Max(a => a.Number)));
        return section;
    }

    /// <summary>jgt MAX → ENOSYS, else to the filter.</summary>
    private static Instruction[] Check(uint max) =>
    [
        new(Jump(JgtK, max, 0, 1)),
        new(Op(RetK, LibSeccomp.SCMP_ACT_ERRNO(Enosys))),
        new(default, JumpsToFilter: true),
    ];

    private static byte Relative(int target, int pc)
    {
        var offset = target - pc - 1;
        return offset is >= 0 and <= 255
            ? (byte)offset
            : throw new SeccompException("too many seccomp architectures for the ENOSYS stub");
    }

    private static LibC.sock_filter Op(ushort code, uint k) => new() { code = code, k = k };

    private static LibC.sock_filter Jump(ushort code, uint k, byte jt, byte jf) => new() { code = code, k = k, jt = jt, jf = jf };

    /// <summary>An instruction of a section; JumpsToFilter marks the "ja to the filter", whose offset depends on where it lands.</summary>
    private readonly record struct Instruction(LibC.sock_filter Filter, bool JumpsToFilter = false)
    {
        public LibC.sock_filter ToFilter(int pc, int stubLength) =>
            JumpsToFilter ? Op(Ja, (uint)(stubLength - pc - 1)) : Filter;
    }
}
