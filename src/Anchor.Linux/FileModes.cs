namespace Anchor.Linux;

/// <summary>
/// The modes Anchor gives what it creates in its stores (C# has no octal literals). Private state is
/// for root alone: a world-reachable store lets any host user run a container's setuid files or
/// read its secrets (CVE-2021-41091; docker made its data directories 0710/0700 for it).
/// </summary>
public static class FileModes
{
    /// <summary>0700: store directories only root may enter.</summary>
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>0600: records, bundles and credentials (they hold the container's environment, passwords).</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>0640: container logs (docker's json-file driver writes them 0640).</summary>
    public const UnixFileMode LogFile = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    /// <summary>
    /// 0755: a program run inside containers (docker-init), whatever user the container runs as; the
    /// container cannot change it (bind-mounted read-only).
    /// </summary>
    public const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>
    /// 0022, the umask dockerd sets at start (setDefaultUmask) and runc's init uses: what a container
    /// must be able to read (its /etc/hosts, its upper directory, which is its "/") gets 0644/0755
    /// whatever umask anchor was started with; private things get explicit modes.
    /// </summary>
    public const int EngineUmask = 0x12; // 0022
}
