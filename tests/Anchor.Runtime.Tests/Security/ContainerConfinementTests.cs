using Anchor.Oci.Runtime;
using Anchor.Runtime.Launch;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Tests.Security;

public sealed class ContainerConfinementTests
{
    private static Spec Spec(SpecSeccomp? seccomp, params string[] namespaces) => new()
    {
        Process = new SpecProcess { Args = ["sh"], Env = [], Cwd = "/", User = new SpecUser() },
        Root = new SpecRoot { Path = "/r" },
        Linux = new SpecLinux { Namespaces = [.. namespaces.Select(n => new SpecNamespace { Type = n })], Seccomp = seccomp },
    };

    [Fact]
    public void NoSeccompInTheSpec_MeansNoFilter_NotAnEmptyOne()
    {
        // seccomp=unconfined and --privileged: the tail must install nothing (an empty program is refused).
        var confinement = ContainerConfinement.For(Spec(null, "mount"), LaunchContext.None);
        Assert.Null(confinement.Seccomp);
        Assert.True(confinement.NewSessionKeyring);
    }

    [Fact]
    public void CgroupNamespace_OnlyWhenTheSpecAsksForANewOne()
    {
        Assert.True(ContainerConfinement.For(Spec(null, "mount", "cgroup"), LaunchContext.None).NewCgroupNamespace);
        Assert.False(ContainerConfinement.For(Spec(null, "mount"), LaunchContext.None).NewCgroupNamespace);
    }

    [Fact]
    public void Seccomp_IsCompiledIntoTheProgram()
    {
        var seccomp = new SpecSeccomp { DefaultAction = "SCMP_ACT_ERRNO", Architectures = ["SCMP_ARCH_X86_64"], Syscalls = [new SpecSeccompSyscall { Names = ["getpid"], Action = "SCMP_ACT_ALLOW" }] };
        var confinement = ContainerConfinement.For(Spec(seccomp, "mount"), LaunchContext.None);
        Assert.NotNull(confinement.Seccomp);
        Assert.True(confinement.Seccomp.Value.Length > 0 && confinement.Seccomp.Value.Length % 8 == 0);
    }
}
