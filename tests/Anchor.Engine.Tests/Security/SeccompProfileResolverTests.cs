using Anchor.Engine.Run;
using Anchor.Engine.Security;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Tests.Security;

/// <summary>docker's setupSeccomp for one container: capabilities, architectures, kernel.</summary>
public sealed class SeccompProfileResolverTests
{
    private static readonly KernelVersion Kernel = new(6, 18);

    private static SpecSeccomp Default(IReadOnlyList<string> capAdd, KernelVersion? kernel = null, string arch = "amd64") =>
        SeccompProfileResolver.Resolve(DockerDefaultSeccompProfile.Profile, CapabilitySet.Resolve(capAdd, []), arch, kernel ?? Kernel)!;

    private static IEnumerable<SpecSeccompSyscall> RulesFor(SpecSeccomp spec, string name) => spec.Syscalls!.Where(r => r.Names.Contains(name));

    private static bool Allowed(SpecSeccomp spec, string name) =>
        RulesFor(spec, name).Any(r => r.Action == "SCMP_ACT_ALLOW" && r.Args is null);

    [Fact]
    public void Resolve_Default_WithoutSysAdmin_RefusesNamespacesAndGivesClone3Enosys()
    {
        var spec = Default([]);

        Assert.Equal("SCMP_ACT_ERRNO", spec.DefaultAction);
        Assert.Equal(1u, spec.DefaultErrnoRet);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], spec.Architectures);
        Assert.Null(spec.Flags);
        foreach (var name in (string[])["unshare", "setns", "mount", "bpf", "open_tree", "fsopen", "keyctl", "add_key", "request_key",
                     "perf_event_open", "userfaultfd", "move_pages", "mbind", "kcmp", "reboot", "init_module"])
        {
            Assert.Empty(RulesFor(spec, name));
        }

        var clone3 = Assert.Single(RulesFor(spec, "clone3"));
        Assert.Equal(("SCMP_ACT_ERRNO", 38u), (clone3.Action, clone3.ErrnoRet));
        var clone = Assert.Single(RulesFor(spec, "clone"));
        var arg = Assert.Single(clone.Args!);
        Assert.Equal((0u, 0x7E020000UL, "SCMP_CMP_MASKED_EQ"), (arg.Index, arg.Value, arg.Op));
        Assert.True(Allowed(spec, "getpid"));
        Assert.True(Allowed(spec, "chroot"));
        Assert.True(Allowed(spec, "process_vm_readv"));
    }

    [Fact]
    public void Resolve_Default_WithSysAdmin_AllowsWhatTheCapabilityGoverns()
    {
        var spec = Default(["SYS_ADMIN"]);

        Assert.True(Allowed(spec, "unshare"));
        Assert.True(Allowed(spec, "mount"));
        Assert.True(Allowed(spec, "clone3"));
        Assert.True(Allowed(spec, "clone"));
        Assert.DoesNotContain(spec.Syscalls!, r => r.Names.Contains("clone3") && r.Action == "SCMP_ACT_ERRNO");
        Assert.DoesNotContain(spec.Syscalls!, r => r.Names.Contains("clone") && r.Args is not null);
    }

    [Theory]
    [InlineData("SYS_PTRACE", "kcmp")]
    [InlineData("SYS_NICE", "mbind")]
    [InlineData("PERFMON", "perf_event_open")]
    [InlineData("SYS_BOOT", "reboot")]
    [InlineData("DAC_READ_SEARCH", "open_by_handle_at")]
    public void Resolve_Default_CapabilityIncludesItsCalls(string capability, string name)
    {
        Assert.False(Allowed(Default([]), name));
        Assert.True(Allowed(Default([capability]), name));
    }

    [Fact]
    public void Resolve_Default_ArchitectureIncludes()
    {
        var amd64 = Default([]);
        Assert.True(Allowed(amd64, "arch_prctl"));
        Assert.True(Allowed(amd64, "modify_ldt"));
        Assert.False(Allowed(amd64, "riscv_flush_icache"));
        Assert.False(Allowed(amd64, "s390_runtime_instr"));

        var s390x = Default([], arch: "s390x");
        Assert.Equal(["SCMP_ARCH_S390X", "SCMP_ARCH_S390"], s390x.Architectures);
        Assert.Equal(1UL, Assert.Single(RulesFor(s390x, "clone")).Args![0].Index);
        Assert.True(Allowed(s390x, "s390_runtime_instr"));
        Assert.False(Allowed(s390x, "arch_prctl"));
    }

    [Fact]
    public void Resolve_Default_MinKernel()
    {
        Assert.False(Allowed(Default([], new KernelVersion(4, 7)), "ptrace"));
        Assert.True(Allowed(Default([], new KernelVersion(4, 8)), "ptrace"));
        Assert.True(Allowed(Default([], new KernelVersion(5, 0)), "ptrace"));
    }

    [Fact]
    public void Resolve_Excludes_AnyConditionLeavesTheRuleOut()
    {
        var profile = new SeccompProfile
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls =
            [
                new SeccompProfileSyscall { Names = ["a"], Action = "SCMP_ACT_ERRNO", Excludes = new SeccompFilter { Caps = ["CAP_KILL", "CAP_SYS_ADMIN"] } },
                new SeccompProfileSyscall { Names = ["b"], Action = "SCMP_ACT_ERRNO", Excludes = new SeccompFilter { Arches = ["amd64"] } },
                new SeccompProfileSyscall { Names = ["c"], Action = "SCMP_ACT_ERRNO", Excludes = new SeccompFilter { MinKernel = new KernelVersion(6, 1) } },
                new SeccompProfileSyscall { Names = ["d"], Action = "SCMP_ACT_ERRNO", Includes = new SeccompFilter { Caps = ["CAP_KILL", "CAP_SYS_ADMIN"] } },
                new SeccompProfileSyscall { Name = "e", Action = "SCMP_ACT_ERRNO", Excludes = new SeccompFilter { MinKernel = new KernelVersion(7, 0) } },
            ],
        };

        var spec = SeccompProfileResolver.Resolve(profile, ["CAP_KILL"], "amd64", Kernel)!;

        Assert.Equal(["e"], spec.Syscalls!.SelectMany(r => r.Names));
    }

    [Fact]
    public void Resolve_ArchitecturesGiven_KeptAsTheyAre()
    {
        var spec = SeccompProfileResolver.Resolve(new SeccompProfile { DefaultAction = "SCMP_ACT_ERRNO", Architectures = ["SCMP_ARCH_X86_64"] }, [], "amd64", Kernel)!;

        Assert.Equal(["SCMP_ARCH_X86_64"], spec.Architectures);
        Assert.Null(spec.Syscalls);
    }

    [Fact]
    public void Resolve_Empty_IsNoFilter() =>
        Assert.Null(SeccompProfileResolver.Resolve(new SeccompProfile(), [], "amd64", Kernel));

    [Fact]
    public void Resolve_EmptyFlagsAndListener_AreLeftOut()
    {
        var spec = SeccompProfileResolver.Resolve(new SeccompProfile { DefaultAction = "SCMP_ACT_ERRNO", Flags = [], ListenerPath = "" }, [], "amd64", Kernel)!;

        Assert.Null(spec.Flags);
        Assert.Null(spec.ListenerPath);
    }

    [Fact]
    public void Resolve_NameAndNames_Refused() => Assert.Equal(
        "both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'",
        Assert.Throws<SeccompProfileException>(() => SeccompProfileResolver.Resolve(
            new SeccompProfile { DefaultAction = "SCMP_ACT_ERRNO", Syscalls = [new SeccompProfileSyscall { Name = "a", Names = ["b"], Action = "SCMP_ACT_ALLOW" }] },
            [], "amd64", Kernel)).Message);

    [Fact]
    public void Resolve_ArchitecturesAndArchMap_Refused() => Assert.Equal(
        "both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'",
        Assert.Throws<SeccompProfileException>(() => SeccompProfileResolver.Resolve(
            new SeccompProfile { DefaultAction = "SCMP_ACT_ERRNO", Architectures = ["SCMP_ARCH_X86"], ArchMap = [new SeccompArchitecture { Architecture = "SCMP_ARCH_X86_64" }] },
            [], "amd64", Kernel)).Message);

    [Fact]
    public void KernelVersion_Host_IsTheRunningKernel()
    {
        var release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        var parts = release.Split('.');
        Assert.Equal(new KernelVersion(uint.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), uint.Parse(new string(parts[1].TakeWhile(char.IsAsciiDigit).ToArray()), System.Globalization.CultureInfo.InvariantCulture)), KernelVersion.Host);
    }

    [Theory]
    [InlineData("3.12.25-gentoo", 3u, 12u)]
    [InlineData("3.12-1-amd64", 3u, 12u)]
    [InlineData("6.18.44-fc-v1300", 6u, 18u)]
    public void KernelVersion_FromRelease_TakesVersionAndMajor(string release, uint kernel, uint major) =>
        Assert.Equal(new KernelVersion(kernel, major), KernelVersion.FromRelease(release));
}
