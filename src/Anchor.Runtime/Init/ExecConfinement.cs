namespace Anchor.Runtime.Init;

/// <summary>
/// What the exec tail applies around the process besides its own credentials: the compiled seccomp
/// program (null: none), a new session keyring (runc's default, so the host's keyrings are out of
/// reach whatever the seccomp setting), and a cgroup namespace rooted at the container's cgroup.
/// </summary>
public sealed record ExecConfinement(ReadOnlyMemory<byte>? Seccomp, uint SeccompFlags, bool NewSessionKeyring, bool NewCgroupNamespace)
{
    /// <summary>Only the keyring: no filter, the host's cgroup namespace.</summary>
    public static ExecConfinement Default { get; } = new(null, 0, true, false);
}
