using Anchor.Linux;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Tests.Init;

/// <summary>
/// The order of the exec tail (Native/anchor_exec.c), the last part of every container process's
/// setup, recorded by its trace mode instead of made: no root needed, nothing is changed.
/// </summary>
public sealed class ExecTailOrderTests
{
    private static SpecProcess Process(uint uid = 0, bool noNewPrivileges = false) =>
        TestProcesses.WithDockerCapabilities(["/bin/true"], [], uid, noNewPrivileges);

    private static List<ExecStep> Trace(SpecProcess process, ExecConfinement confinement)
    {
        using var request = ExecTail.Build(process, "/bin/true", confinement);
        return [.. request.Trace()];
    }

    private static ExecConfinement Confined(bool cgroupNamespace = false) => new(TestProcesses.AllowAll, 0, NewSessionKeyring: true, cgroupNamespace);

    [Fact]
    public void WithoutNoNewPrivs_SeccompComesBeforeTheCredentialsAreDropped()
    {
        // Installing a filter without no_new_privs needs CAP_SYS_ADMIN (seccomp(2)): before setresuid and capset.
        var steps = Trace(Process(), Confined());
        Assert.True(steps.IndexOf(ExecStep.Seccomp) < steps.IndexOf(ExecStep.BoundingSet));
        Assert.True(steps.IndexOf(ExecStep.BoundingSet) < steps.IndexOf(ExecStep.Setgroups));
        Assert.True(steps.IndexOf(ExecStep.Setgroups) < steps.IndexOf(ExecStep.Setresgid));
        Assert.True(steps.IndexOf(ExecStep.Setresgid) < steps.IndexOf(ExecStep.Setresuid));
        Assert.True(steps.IndexOf(ExecStep.Setresuid) < steps.IndexOf(ExecStep.Capset));
        Assert.DoesNotContain(ExecStep.NoNewPrivileges, steps);
        Assert.Equal([ExecStep.SignalMask, ExecStep.Execve], steps[^2..]);
    }

    [Fact]
    public void OomScoreAdjAndRlimits_ComeAfterStdio_BeforeSeccompAndTheDrop()
    {
        // Lowering oom_score_adj and raising a hard rlimit need CAP_SYS_RESOURCE: before the drop.
        var process = Process(uid: 1000) with
        {
            OomScoreAdj = -10,
            Rlimits = [new SpecRlimit { Type = "RLIMIT_NOFILE", Soft = 10, Hard = 20 }, new SpecRlimit { Type = "RLIMIT_CORE", Soft = 0, Hard = 0 }],
        };
        var steps = Trace(process, Confined());
        Assert.Equal(steps.IndexOf(ExecStep.OomScoreAdj) + 1, steps.IndexOf(ExecStep.Rlimit));
        Assert.Equal(2, steps.Count(s => s == ExecStep.Rlimit));
        Assert.True(steps.IndexOf(ExecStep.Setsid) < steps.IndexOf(ExecStep.OomScoreAdj));
        Assert.True(steps.LastIndexOf(ExecStep.Rlimit) < steps.IndexOf(ExecStep.Seccomp));
        Assert.True(steps.LastIndexOf(ExecStep.Rlimit) < steps.IndexOf(ExecStep.Setresuid));
        Assert.DoesNotContain(ExecStep.OomScoreAdj, Trace(Process(), Confined()));
        Assert.DoesNotContain(ExecStep.Rlimit, Trace(Process(), Confined()));
    }

    [Fact]
    public void WithNoNewPrivs_SeccompIsTheLastStepBeforeExec()
    {
        var steps = Trace(Process(noNewPrivileges: true), Confined());
        Assert.Equal([ExecStep.NoNewPrivileges, ExecStep.Seccomp, ExecStep.SignalMask, ExecStep.Execve], steps[^4..]);
        Assert.Single(steps, s => s == ExecStep.Seccomp);
    }

    [Fact]
    public void KeyringAndCgroupNamespace_ComeFirst_WhileTheProcessIsStillPrivileged()
    {
        var steps = Trace(Process(), Confined(cgroupNamespace: true));
        Assert.Equal([ExecStep.Signals, ExecStep.Keyring, ExecStep.CgroupNamespace], steps[..3]);
        // seccomp refuses keyctl and unshare: both must precede it.
        Assert.True(steps.IndexOf(ExecStep.CgroupNamespace) < steps.IndexOf(ExecStep.Seccomp));
    }

    [Fact]
    public void NonRootUser_GetsNoCapabilitySets()
    {
        // Leaving uid 0 clears permitted/effective (capabilities(7)): docker's CapEff 0 for a user.
        var steps = Trace(Process(uid: 1000), Confined());
        Assert.Contains(ExecStep.Setresuid, steps);
        Assert.DoesNotContain(ExecStep.Capset, steps);
        Assert.DoesNotContain(ExecStep.Ambient, steps);
    }

    [Fact]
    public void BoundingSet_DropsEveryCapabilityOutsideTheSpec()
    {
        var steps = Trace(Process(), Confined());
        var drops = steps.Count(s => s == ExecStep.BoundingSet);
        var last = Capabilities.LastCap();
        Assert.Equal(last + 1 - Capabilities.Default.Count, drops);
    }

    [Fact]
    public void Unconfined_InstallsNoFilter_ButStillJoinsAKeyring()
    {
        var steps = Trace(Process(), new ExecConfinement(null, 0, NewSessionKeyring: true, NewCgroupNamespace: false));
        Assert.DoesNotContain(ExecStep.Seccomp, steps);
        Assert.Contains(ExecStep.Keyring, steps);
    }

    [Fact]
    public void Stdio_IsSetBeforeTheSessionAndTerminal()
    {
        using var request = ExecTail.Build(Process(), "/bin/true", Confined());
        request.SetStdio(10, 10, 10);
        request.AddFlags(Linux.Interop.AnchorNative.CTTY);
        var steps = request.Trace().ToList();
        Assert.Equal(3, steps.Count(s => s == ExecStep.Stdio));
        Assert.True(steps.LastIndexOf(ExecStep.Stdio) < steps.IndexOf(ExecStep.Setsid));
        Assert.Equal(steps.IndexOf(ExecStep.Setsid) + 1, steps.IndexOf(ExecStep.ControllingTerminal));
    }
}
