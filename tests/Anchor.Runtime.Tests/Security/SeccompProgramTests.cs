using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Tests.Security;

/// <summary>
/// Compiling with libseccomp: what the program answers is checked by running it (BpfMachine) and,
/// for installation, by calling the kernel on a thread of its own.
/// </summary>
public sealed class SeccompProgramTests
{
    private const long SysGetpid = 39;
    private const long SysGetppid = 110;
    private const long SysGetpgid = 121;
    private const long SysGetpriority = 140;
    private const uint Allow = 0x7fff0000;
    private const uint X86_64 = BpfMachine.AuditArchX86_64;

    private static uint Errno(uint errno) => 0x00050000 | errno;

    private static SpecSeccompSyscall Rule(string name, string action, uint? errnoRet = null, params SpecSeccompArg[] args) =>
        new() { Names = [name], Action = action, ErrnoRet = errnoRet, Args = args.Length > 0 ? args : null };

    private static SpecSeccompArg Arg(uint index, ulong value, string op, ulong valueTwo = 0) =>
        new() { Index = index, Value = value, Op = op, ValueTwo = valueTwo };

    private static SpecSeccomp AllowBut(params SpecSeccompSyscall[] rules) =>
        new() { DefaultAction = "SCMP_ACT_ALLOW", Syscalls = rules };

    private static SeccompProgram Compile(SpecSeccomp spec) => SeccompProgram.Compile(spec)!;

    [Fact]
    public void Compile_ConditionsOnDifferentArguments_AllMustHold()
    {
        var program = Compile(AllowBut(Rule("getpriority", "SCMP_ACT_ERRNO", 77, Arg(0, 0, "SCMP_CMP_EQ"), Arg(1, 12345, "SCMP_CMP_EQ"))));

        Assert.Equal(Errno(77), BpfMachine.Run(program.Instructions, SysGetpriority, X86_64, 0, 12345));
        Assert.Equal(Allow, BpfMachine.Run(program.Instructions, SysGetpriority, X86_64, 0, 1));
        Assert.Equal(Allow, BpfMachine.Run(program.Instructions, SysGetpriority, X86_64, 1, 12345));
    }

    /// <summary>runc adds conditions on one argument as separate rules (libseccomp would AND them into nothing).</summary>
    [Fact]
    public void Compile_TwoConditionsOnOneArgument_EitherMatches()
    {
        var program = Compile(AllowBut(Rule("getpgid", "SCMP_ACT_ERRNO", 78, Arg(0, 11111, "SCMP_CMP_EQ"), Arg(0, 22222, "SCMP_CMP_EQ"))));

        Assert.Equal(Errno(78), BpfMachine.Run(program.Instructions, SysGetpgid, X86_64, 11111));
        Assert.Equal(Errno(78), BpfMachine.Run(program.Instructions, SysGetpgid, X86_64, 22222));
        Assert.Equal(Allow, BpfMachine.Run(program.Instructions, SysGetpgid, X86_64, 0));
    }

    [Theory]
    [InlineData("SCMP_CMP_NE", 5UL, 0UL, 6UL, 5UL)]
    [InlineData("SCMP_CMP_LT", 5UL, 0UL, 4UL, 5UL)]
    [InlineData("SCMP_CMP_LE", 5UL, 0UL, 5UL, 6UL)]
    [InlineData("SCMP_CMP_EQ", 0x100000005UL, 0UL, 0x100000005UL, 5UL)]
    [InlineData("SCMP_CMP_GE", 5UL, 0UL, 5UL, 4UL)]
    [InlineData("SCMP_CMP_GT", 5UL, 0UL, 6UL, 5UL)]
    [InlineData("SCMP_CMP_MASKED_EQ", 0xF0UL, 0x30UL, 0x35UL, 0x45UL)]
    public void Compile_Operator_MatchesAsLibseccompDefinesIt(string op, ulong value, ulong valueTwo, ulong matching, ulong other)
    {
        var program = Compile(AllowBut(Rule("getpgid", "SCMP_ACT_ERRNO", 79, Arg(0, value, op, valueTwo))));

        Assert.Equal(Errno(79), BpfMachine.Run(program.Instructions, SysGetpgid, X86_64, matching));
        Assert.Equal(Allow, BpfMachine.Run(program.Instructions, SysGetpgid, X86_64, other));
    }

    [Theory]
    [InlineData("SCMP_ACT_ERRNO", null, 0x00050001u)]
    [InlineData("SCMP_ACT_ERRNO", 13u, 0x0005000du)]
    [InlineData("SCMP_ACT_TRACE", null, 0x7ff00001u)]
    [InlineData("SCMP_ACT_TRACE", 7u, 0x7ff00007u)]
    [InlineData("SCMP_ACT_KILL", null, 0x00000000u)]
    [InlineData("SCMP_ACT_KILL_THREAD", null, 0x00000000u)]
    [InlineData("SCMP_ACT_KILL_PROCESS", null, 0x80000000u)]
    [InlineData("SCMP_ACT_TRAP", null, 0x00030000u)]
    [InlineData("SCMP_ACT_LOG", null, 0x7ffc0000u)]
    public void Compile_Action_ReturnsTheKernelValue(string action, uint? errnoRet, uint expected)
    {
        var program = Compile(AllowBut(Rule("getppid", action, errnoRet)));

        Assert.Equal(expected, BpfMachine.Run(program.Instructions, SysGetppid, X86_64));
        Assert.Equal(Allow, BpfMachine.Run(program.Instructions, SysGetpid, X86_64));
    }

    [Fact]
    public void Compile_UnknownName_IsSkipped()
    {
        var program = Compile(AllowBut(new SpecSeccompSyscall { Names = ["no_such_call", "getppid"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 5 }));

        Assert.Equal(Errno(5), BpfMachine.Run(program.Instructions, SysGetppid, X86_64));
    }

    /// <summary>
    /// A refusing default gets runc's ENOSYS stub: calls above the largest one the rules name get
    /// ENOSYS (glibc then falls back), the others the default; on every architecture of the filter.
    /// </summary>
    [Fact]
    public void Compile_RefusingDefault_NewerCallsGetEnosys()
    {
        var spec = new SpecSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            DefaultErrnoRet = 1,
            Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
            Syscalls = [new SpecSeccompSyscall { Names = ["getpid", "clone3", "read"], Action = "SCMP_ACT_ALLOW" }],
        };
        var p = Compile(spec).Instructions;

        Assert.Equal(Allow, BpfMachine.Run(p, SysGetpid, X86_64));
        Assert.Equal(Errno(1), BpfMachine.Run(p, SysGetppid, X86_64));
        Assert.Equal(Allow, BpfMachine.Run(p, 435, X86_64));
        Assert.Equal(Errno(38), BpfMachine.Run(p, 436, X86_64));
        Assert.Equal(Errno(38), BpfMachine.Run(p, 1000, X86_64));
        // x86 (int 0x80): getpid is 20, clone3 435.
        Assert.Equal(Allow, BpfMachine.Run(p, 20, BpfMachine.AuditArchI386));
        Assert.Equal(Errno(1), BpfMachine.Run(p, 64, BpfMachine.AuditArchI386));
        Assert.Equal(Errno(38), BpfMachine.Run(p, 1000, BpfMachine.AuditArchI386));
        // x32: same numbers as x86_64 with bit 30, but its own largest call (read is 0 there too).
        Assert.Equal(Allow, BpfMachine.Run(p, BpfMachine.X32Bit | 39, X86_64));
        Assert.Equal(Errno(38), BpfMachine.Run(p, BpfMachine.X32Bit | 1000, X86_64));
    }

    [Fact]
    public void Compile_AllowingDefault_HasNoStub()
    {
        var p = Compile(AllowBut(Rule("getppid", "SCMP_ACT_ERRNO", 5))).Instructions;

        Assert.Equal(Allow, BpfMachine.Run(p, 1000, X86_64));
    }

    [Fact]
    public void Compile_DefaultLongList_FitsTheKernelLimit()
    {
        var names = Enumerable.Range(0, 300).Select(n => $"no_such_call_{n}").Append("getppid").ToList();
        var program = Compile(new SpecSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Syscalls = [new SpecSeccompSyscall { Names = names, Action = "SCMP_ACT_ERRNO" }] });

        Assert.InRange(program.Length, 1, LibC.BPF_MAXINSNS);
        Assert.Equal(0, program.Instructions.Length % 8);
    }

    [Theory]
    [InlineData("SCMP_ACT_NOTIFY", "SCMP_ACT_NOTIFY is not supported")]
    [InlineData("SCMP_ACT_WHATEVER", "string SCMP_ACT_WHATEVER is not a valid action for seccomp")]
    public void Compile_UnsupportedAction_Refused(string action, string message)
    {
        var e = Assert.Throws<SeccompException>(() => Compile(AllowBut(Rule("getppid", action))));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_BadOperatorArchitectureFlagOrListener_Refused()
    {
        Assert.Equal("string SCMP_CMP_ABOUT is not a valid operator for seccomp",
            Assert.Throws<SeccompException>(() => Compile(AllowBut(Rule("getppid", "SCMP_ACT_ERRNO", null, Arg(0, 1, "SCMP_CMP_ABOUT"))))).Message);
        Assert.Equal("string SCMP_ARCH_Z80 is not a valid arch for seccomp",
            Assert.Throws<SeccompException>(() => Compile(AllowBut(Rule("getppid", "SCMP_ACT_ERRNO")) with { Architectures = ["SCMP_ARCH_Z80"] })).Message);
        Assert.Equal("seccomp flag SECCOMP_FILTER_FLAG_FAST is not known",
            Assert.Throws<SeccompException>(() => Compile(AllowBut(Rule("getppid", "SCMP_ACT_ERRNO")) with { Flags = ["SECCOMP_FILTER_FLAG_FAST"] })).Message);
        Assert.Contains("listenerPath /run/agent.sock is not supported",
            Assert.Throws<SeccompException>(() => Compile(AllowBut(Rule("getppid", "SCMP_ACT_ERRNO")) with { ListenerPath = "/run/agent.sock" })).Message, StringComparison.Ordinal);
        Assert.Contains("argument index 6 is out of range",
            Assert.Throws<SeccompException>(() => Compile(AllowBut(Rule("getppid", "SCMP_ACT_ERRNO", null, Arg(6, 1, "SCMP_CMP_EQ"))))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flags_NullMeansSpecAllow_EmptyMeansNone()
    {
        Assert.Equal(LibC.SECCOMP_FILTER_FLAG_SPEC_ALLOW, Compile(AllowBut(Rule("getppid", "SCMP_ACT_ERRNO"))).Flags);
        Assert.Equal(0u, Compile(AllowBut(Rule("getppid", "SCMP_ACT_ERRNO")) with { Flags = [] }).Flags);
        Assert.Equal(LibC.SECCOMP_FILTER_FLAG_LOG, Compile(AllowBut(Rule("getppid", "SCMP_ACT_ERRNO")) with { Flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_TSYNC"] }).Flags);
    }

    [Fact]
    public void Load_NoDefaultActionNoRules_IsNoFilter()
    {
        using var dir = new TempCache();
        Assert.Null(SeccompProgram.Load(new SpecSeccomp(), dir.Path));
        Assert.Null(SeccompProgram.Load(new SpecSeccomp { Syscalls = [] }, dir.Path));
    }

    [Fact]
    public void Load_Twice_SecondComesFromTheCache()
    {
        using var dir = new TempCache();
        var spec = AllowBut(Rule("getppid", "SCMP_ACT_ERRNO", 5));

        var first = SeccompProgram.Load(spec, dir.Path)!;
        var second = SeccompProgram.Load(spec, dir.Path)!;

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(first.Key, second.Key);
        Assert.Equal(first.Instructions.ToArray(), second.Instructions.ToArray());
        var file = Path.Combine(dir.Path, first.Key + ".bpf");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir.Path));
        Assert.Equal([first.Key + ".bpf"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Prepare_ThenLoad_UsesTheSameKey()
    {
        using var dir = new TempCache();
        var spec = AllowBut(Rule("getppid", "SCMP_ACT_ERRNO", 5));
        SeccompProgram.Prepare(spec);

        var program = SeccompProgram.Load(spec, dir.Path)!;

        Assert.Equal(SeccompCacheKey.Compute(spec, SeccompLibrary.Identity, SeccompLibrary.NativeArchitecture), program.Key);
        Assert.Equal(program.Key, SeccompProgram.Load(spec with { }, dir.Path)!.Key);
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("extend")]
    [InlineData("empty")]
    [InlineData("count")]
    public void Load_DamagedCacheFile_IsCompiledAgain(string damage)
    {
        using var dir = new TempCache();
        var spec = AllowBut(Rule("getppid", "SCMP_ACT_ERRNO", 5));
        var good = SeccompProgram.Load(spec, dir.Path)!;
        var file = Path.Combine(dir.Path, good.Key + ".bpf");
        var bytes = File.ReadAllBytes(file);
        var intact = (byte[])bytes.Clone();
        switch (damage)
        {
            case "flip":
                bytes[^3] ^= 0x40;
                break;
            case "truncate":
                bytes = bytes[..^8];
                break;
            case "extend":
                bytes = [.. bytes, 0, 0, 0, 0, 0, 0, 0, 0];
                break;
            case "empty":
                bytes = [];
                break;
            case "count":
                bytes[8]++;
                break;
        }

        File.WriteAllBytes(file, bytes);
        var again = SeccompProgram.Load(spec, dir.Path)!;

        Assert.False(again.FromCache);
        Assert.Equal(good.Instructions.ToArray(), again.Instructions.ToArray());
        Assert.Equal(intact, File.ReadAllBytes(file));
        Assert.True(SeccompProgram.Load(spec, dir.Path)!.FromCache);
    }

    /// <summary>The filter acts on the thread that installed it and on nothing else.</summary>
    [Fact]
    public void Install_OnOwnThread_AppliesThereOnly()
    {
        if (LibC.geteuid() != 0)
        {
            return;
        }

        var program = Compile(AllowBut(
            Rule("getppid", "SCMP_ACT_ERRNO", 99),
            Rule("getpgid", "SCMP_ACT_ERRNO", 98, Arg(0, 424242, "SCMP_CMP_EQ"))));

        var (mode, getppid, getpgidMatching, getpgidOther, getpid) = FilteredThread.Run(() =>
        {
            program.Install();
            return (FilteredThread.Mode(), FilteredThread.Syscall(SysGetppid), FilteredThread.Syscall(SysGetpgid, 424242),
                FilteredThread.Syscall(SysGetpgid, 0), FilteredThread.Syscall(SysGetpid));
        });

        Assert.Equal(2, mode);
        Assert.Equal(-99, getppid);
        Assert.Equal(-98, getpgidMatching);
        Assert.True(getpgidOther > 0);
        Assert.Equal(Environment.ProcessId, getpid);
        Assert.Equal(0, FilteredThread.Mode());
        Assert.True(FilteredThread.Syscall(SysGetppid) > 0);
    }

    private sealed class TempCache : IDisposable
    {
        private readonly string parent = Directory.CreateTempSubdirectory("anchor-seccomp-").FullName;

        public string Path => System.IO.Path.Combine(parent, "seccomp");

        public void Dispose() => Directory.Delete(parent, recursive: true);
    }
}
