using Anchor.Oci.Runtime;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Tests.Init;

/// <summary>Process specs and a filter for the exec tail's tests.</summary>
internal static class TestProcesses
{
    /// <summary>BPF_RET|BPF_K SECCOMP_RET_ALLOW: a one-instruction filter that allows everything.</summary>
    public static readonly byte[] AllowAll = [0x06, 0, 0, 0, 0, 0, 0xff, 0x7f];

    /// <summary>A process with docker's default capabilities, as <paramref name="uid"/> (gid the same) with supplementary group 7.</summary>
    public static SpecProcess WithDockerCapabilities(IReadOnlyList<string> args, IReadOnlyList<string> env, uint uid, bool noNewPrivileges) => new()
    {
        Args = args,
        Env = env,
        Cwd = "/",
        User = new SpecUser { Uid = uid, Gid = uid, AdditionalGids = [7] },
        NoNewPrivileges = noNewPrivileges,
        Capabilities = new SpecCapabilities
        {
            Bounding = Capabilities.Default,
            Effective = Capabilities.Default,
            Permitted = Capabilities.Default,
            Inheritable = [],
            Ambient = [],
        },
    };
}
