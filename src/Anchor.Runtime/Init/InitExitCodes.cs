namespace Anchor.Runtime.Init;

/// <summary>Exit codes of the init stage when it fails before execve, docker's where it has one.</summary>
public static class InitExitCodes
{
    /// <summary>Setup failed (mounts, cgroup, credentials): docker's engine-error code.</summary>
    public const int SetupFailed = 125;

    /// <summary>The command exists but cannot be invoked (EACCES, ENOEXEC, a directory).</summary>
    public const int CannotInvoke = 126;

    /// <summary>The command was not found.</summary>
    public const int NotFound = 127;

    /// <summary>The launcher went away before releasing init.</summary>
    public const int Aborted = 255;
}
