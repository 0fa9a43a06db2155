using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;
using Anchor.Runtime.Launch;

namespace Anchor.Runtime.Security;

/// <summary>
/// What the exec tail applies around a container's process, read from its spec: a new session
/// keyring always (runc's default: container root must not reach the host's keyrings), a cgroup
/// namespace when the spec asks for one without a path (rooted at the container's cgroup, since
/// the tail unshares it after the process was placed there), and the seccomp program. Called in the
/// launcher's process, before pivot_root: the cache and libseccomp are host files.
/// </summary>
public static class ContainerConfinement
{
    public static ExecConfinement For(Spec spec, LaunchContext context)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        var cgroupNamespace = spec.Linux.Namespaces.Any(n => n.Type == "cgroup" && n.Path is null);
        _ = Capabilities.LastCap(); // read from the host's /proc now: the exec tail's masks need it after pivot_root
        var program = Seccomp(spec.Linux.Seccomp, context.SeccompCacheDirectory);
        // Typed as the nullable memory on both branches: a null byte[] would convert to an empty,
        // non-null ReadOnlyMemory (a "filter" of 0 instructions).
        var instructions = program is null ? default(ReadOnlyMemory<byte>?) : program.Instructions.ToArray();
        return new ExecConfinement(instructions, program?.Flags ?? 0, NewSessionKeyring: true, cgroupNamespace);
    }

    /// <summary>The compiled program: from the cache when there is one, else compiled now; null for no filter.</summary>
    private static SeccompProgram? Seccomp(SpecSeccomp? seccomp, string? cacheDirectory)
    {
        if (seccomp is null)
        {
            return null;
        }

        try
        {
            return cacheDirectory is not null ? SeccompProgram.Load(seccomp, cacheDirectory) : SeccompProgram.Compile(seccomp);
        }
        catch (SeccompException e)
        {
            throw new InitFailureException(InitExitCodes.SetupFailed, e.Message);
        }
    }
}
