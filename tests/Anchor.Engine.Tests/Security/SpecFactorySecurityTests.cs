using Anchor.Engine.Run;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Tests.Security;

/// <summary>What --security-opt and --cap-add put into the container's spec.</summary>
public sealed class SpecFactorySecurityTests
{
    private static Spec Create(RunOptions options) => SpecFactory.Create(new SpecFactory.Inputs(
        options, null, ["/layers/1"], new ContainerFiles("/containers/x"), "host", new SpecUser(), "/root", "/anchor/x"));

    private static RunOptions Options(params string[] securityOpt) =>
        new() { Image = "busybox", Command = ["true"], SecurityOpt = securityOpt.Length > 0 ? securityOpt : null };

    [Fact]
    public void Create_Default_HasDockersDefaultProfile()
    {
        var spec = Create(Options());

        var seccomp = spec.Linux.Seccomp!;
        Assert.Equal(("SCMP_ACT_ERRNO", 1u), (seccomp.DefaultAction, seccomp.DefaultErrnoRet));
        Assert.Contains(seccomp.Syscalls!, r => r.Names.Contains("clone3") && r.ErrnoRet == 38);
        Assert.DoesNotContain(seccomp.Syscalls!, r => r.Names.Contains("unshare"));
        Assert.False(spec.Process.NoNewPrivileges);
        Assert.NotEmpty(spec.Linux.MaskedPaths);
    }

    /// <summary>The default profile's object is reused for the same bounding set: the runtime keeps its cache key per object.</summary>
    [Fact]
    public void Create_SameCapabilities_SameSeccompObject()
    {
        var first = Create(Options()).Linux.Seccomp;

        Assert.Same(first, Create(Options()).Linux.Seccomp);
        Assert.NotSame(first, Create(Options() with { CapDrop = ["CHOWN"] }).Linux.Seccomp);
    }

    [Fact]
    public void Create_CapAddSysAdmin_ProfileFollowsTheBoundingSet() =>
        Assert.Contains(Create(Options() with { CapAdd = ["SYS_ADMIN"] }).Linux.Seccomp!.Syscalls!, r => r.Names.Contains("unshare") && r.Action == "SCMP_ACT_ALLOW");

    [Fact]
    public void Create_SeccompUnconfined_HasNoFilter() => Assert.Null(Create(Options("seccomp=unconfined")).Linux.Seccomp);

    [Fact]
    public void Create_NoNewPrivileges_SetsTheProcessFlag()
    {
        Assert.True(Create(Options("no-new-privileges")).Process.NoNewPrivileges);
        Assert.False(Create(Options("no-new-privileges=false")).Process.NoNewPrivileges);
    }

    [Fact]
    public void Create_SystemPathsUnconfined_MasksNothing()
    {
        var spec = Create(Options() with { SystemPathsUnconfined = true });

        Assert.Empty(spec.Linux.MaskedPaths);
        Assert.Empty(spec.Linux.ReadonlyPaths);
    }

    [Fact]
    public void Create_StoredProfile_IsResolvedForTheContainer()
    {
        var spec = Create(Options("""seccomp={"defaultAction":"SCMP_ACT_ALLOW","archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":null}],"syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","excludes":{"caps":["CAP_SYS_ADMIN"]}}]}"""));

        var seccomp = spec.Linux.Seccomp!;
        Assert.Equal("SCMP_ACT_ALLOW", seccomp.DefaultAction);
        Assert.Equal(["SCMP_ARCH_X86_64"], seccomp.Architectures);
        Assert.Equal(["mount"], Assert.Single(seccomp.Syscalls!).Names);
    }

    [Fact]
    public void Create_BadStoredOption_IsDockersError() =>
        Assert.Equal("invalid --security-opt 2: \"foo=bar\"", Assert.Throws<EngineException>(() => Create(Options("foo=bar"))).Message);
}
