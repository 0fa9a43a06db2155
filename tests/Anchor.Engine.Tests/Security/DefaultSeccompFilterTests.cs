using Anchor.Engine.Run;
using Anchor.Engine.Security;
using Anchor.Linux.Interop;
using Anchor.Runtime.Security;
using Anchor.Runtime.Tests.Security;

namespace Anchor.Engine.Tests.Security;

/// <summary>
/// docker's default profile, resolved and compiled: what it answers (run in BpfMachine) and what
/// the kernel does on a thread that installed it (a dedicated pthread that then ends).
/// </summary>
public sealed class DefaultSeccompFilterTests
{
    private const uint Allow = 0x7fff0000;
    private const uint Eperm = 0x00050001;
    private const uint Enosys = 0x00050026;
    private const uint X86_64 = BpfMachine.AuditArchX86_64;
    private const uint I386 = BpfMachine.AuditArchI386;

    // x86_64 numbers (asm/unistd_64.h).
    private const long SysGetpid = 39;
    private const long SysSocket = 41;
    private const long SysClone = 56;
    private const long SysPersonality = 135;
    private const long SysMount = 165;
    private const long SysAddKey = 248;
    private const long SysKeyctl = 250;
    private const long SysUnshare = 272;
    private const long SysMovePages = 279;
    private const long SysPerfEventOpen = 298;
    private const long SysProcessVmReadv = 310;
    private const long SysKcmp = 312;
    private const long SysUserfaultfd = 323;
    private const long SysOpenTree = 428;
    private const long SysFsopen = 430;
    private const long SysClone3 = 435;
    private const long SysMbind = 237;

    private const uint ReadImpliesExec = 0x0400000;
    private const uint AfVsock = 40;
    private const long KeyctlGetKeyringId = 0;
    private const long KeySpecSessionKeyring = -3;

    private static SeccompProgram Program(params string[] capAdd) =>
        SeccompProgram.Compile(SeccompProfileResolver.Resolve(DockerDefaultSeccompProfile.Profile, CapabilitySet.Resolve(capAdd, []), SeccompProfileResolver.NativeArch, KernelVersion.Host)!)!;

    [Fact]
    public void Compile_Default_IsAWholeProgram()
    {
        var program = Program();

        Assert.InRange(program.Length, 1, LibC.BPF_MAXINSNS);
        Assert.Equal(program.Length * 8, program.Instructions.Length);
        Assert.Equal(LibC.SECCOMP_FILTER_FLAG_SPEC_ALLOW, program.Flags);
    }

    [Fact]
    public void Compile_Default_AnswersAsDocker()
    {
        var p = Program().Instructions;

        Assert.Equal(Allow, BpfMachine.Run(p, SysGetpid, X86_64));
        Assert.Equal(Enosys, BpfMachine.Run(p, SysClone3, X86_64));
        Assert.Equal(Enosys, BpfMachine.Run(p, 1000, X86_64));
        foreach (var refused in (long[])[SysUnshare, SysMount, SysKeyctl, SysAddKey, SysPerfEventOpen, SysUserfaultfd, SysMovePages, SysMbind, SysKcmp, SysOpenTree, SysFsopen])
        {
            Assert.Equal(Eperm, BpfMachine.Run(p, refused, X86_64));
        }

        Assert.Equal(Allow, BpfMachine.Run(p, SysProcessVmReadv, X86_64));
        Assert.Equal(Allow, BpfMachine.Run(p, SysSocket, X86_64, 2));
        Assert.Equal(Eperm, BpfMachine.Run(p, SysSocket, X86_64, AfVsock));
        Assert.Equal(Allow, BpfMachine.Run(p, SysPersonality, X86_64, 0xffffffff));
        Assert.Equal(Eperm, BpfMachine.Run(p, SysPersonality, X86_64, ReadImpliesExec));
        Assert.Equal(Allow, BpfMachine.Run(p, SysClone, X86_64, 0x11 /* SIGCHLD */));
        Assert.Equal(Eperm, BpfMachine.Run(p, SysClone, X86_64, LibC.CLONE_NEWUSER | 0x11));
        // x86 programs: getpid is 20, unshare 310; x32: x86_64's numbers with bit 30.
        Assert.Equal(Allow, BpfMachine.Run(p, 20, I386));
        Assert.Equal(Eperm, BpfMachine.Run(p, 310, I386));
        Assert.Equal(Allow, BpfMachine.Run(p, BpfMachine.X32Bit | SysGetpid, X86_64));
        Assert.Equal(Eperm, BpfMachine.Run(p, BpfMachine.X32Bit | SysUnshare, X86_64));
    }

    [Fact]
    public void Compile_DefaultWithSysAdmin_AllowsNamespaces()
    {
        var p = Program("SYS_ADMIN").Instructions;

        Assert.Equal(Allow, BpfMachine.Run(p, SysUnshare, X86_64));
        Assert.Equal(Allow, BpfMachine.Run(p, SysClone3, X86_64));
        Assert.Equal(Allow, BpfMachine.Run(p, SysClone, X86_64, LibC.CLONE_NEWUSER));
        Assert.Equal(Eperm, BpfMachine.Run(p, SysKeyctl, X86_64));
    }

    /// <summary>
    /// The runner has CAP_SYS_ADMIN: without the filter, unshare(CLONE_NEWUSER) fails with EINVAL
    /// (the process has threads), keyctl answers; with it, both fail with EPERM before the kernel looks.
    /// </summary>
    [Fact]
    public void Install_Default_OnOwnThread_RefusesWhatDockerRefuses()
    {
        if (LibC.geteuid() != 0)
        {
            return;
        }

        var program = Program();
        var seen = FilteredThread.Run(() =>
        {
            program.Install();
            return new Dictionary<string, long>
            {
                ["mode"] = FilteredThread.Mode(),
                ["unshare"] = FilteredThread.Syscall(SysUnshare, LibC.CLONE_NEWUSER),
                ["keyctl"] = FilteredThread.Syscall(SysKeyctl, (nint)KeyctlGetKeyringId, (nint)KeySpecSessionKeyring),
                ["clone3"] = FilteredThread.Syscall(SysClone3),
                ["getpid"] = FilteredThread.Syscall(SysGetpid),
                ["personality query"] = FilteredThread.Syscall(SysPersonality, unchecked((nint)0xffffffffL)),
                ["personality exec"] = FilteredThread.Syscall(SysPersonality, (nint)ReadImpliesExec),
                ["perf_event_open"] = FilteredThread.Syscall(SysPerfEventOpen),
            };
        });

        Assert.Equal(2, seen["mode"]);
        Assert.Equal(-LibC.EPERM, seen["unshare"]);
        Assert.Equal(-LibC.EPERM, seen["keyctl"]);
        Assert.Equal(-38, seen["clone3"]);
        Assert.Equal(Environment.ProcessId, seen["getpid"]);
        Assert.True(seen["personality query"] >= 0, $"personality(0xffffffff) = {seen["personality query"]}");
        Assert.Equal(-LibC.EPERM, seen["personality exec"]);
        Assert.Equal(-LibC.EPERM, seen["perf_event_open"]);

        // The runner's thread has no filter.
        Assert.Equal(0, FilteredThread.Mode());
        Assert.Equal(-LibC.EINVAL, FilteredThread.Syscall(SysUnshare, LibC.CLONE_NEWUSER));
        Assert.NotEqual(-LibC.EPERM, FilteredThread.Syscall(SysKeyctl, (nint)KeyctlGetKeyringId, (nint)KeySpecSessionKeyring));
    }
}
