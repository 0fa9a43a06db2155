using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;
using Anchor.Runtime.Launch;

namespace Anchor.Runtime.Security;

/// <summary>
/// What the exec tail applies around a container's process, read from its spec: a new session
/// keyring always (runc's default: container root must not reach the host's keyrings), a cgroup
/// namespace when the spec asks for one without a path (rooted at the container's cgroup, since
/// the tail unshares it after the process was placed there), and the seccomp program.
/// </summary>
public static class ContainerConfinement
{
    public static ExecConfinement For(Spec spec, LaunchContext context)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        var cgroupNamespace = spec.Linux.Namespaces.Any(n => n.Type == "cgroup" && n.Path is null);
        return new ExecConfinement(null, 0, NewSessionKeyring: true, cgroupNamespace);
    }
}
