namespace Anchor.Linux;

/// <summary>The step of the exec tail that failed (Native/anchor_exec.c, enum anchor_step).</summary>
public enum ExecStep
{
    None = 0,
    Signals,
    Descriptors,
    Ready,
    Gate,
    Keyring,
    CgroupNamespace,
    Setsid,
    ControllingTerminal,
    Stdio,
    Seccomp,
    BoundingSet,
    Setgroups,
    Setresgid,
    Setresuid,
    Capset,
    Ambient,
    NoNewPrivileges,
    SignalMask,
    Execve,
    Clone,
    Stack,
    OomScoreAdj,
    Rlimit,
    Cgroup,
    UserNamespace,
}
