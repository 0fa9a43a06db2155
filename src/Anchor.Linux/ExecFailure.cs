using System.Runtime.InteropServices;
using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>The step of the exec tail that failed and its errno.</summary>
/// <param name="Detail">For <see cref="ExecStep.Rlimit"/>: the resource (RLIMIT_*) that failed.</param>
public readonly record struct ExecFailure(ExecStep Step, int Errno, int Detail = 0)
{
    /// <summary>execve(2) found no such program (docker: 127); every other failure to exec is 126.</summary>
    public bool NotFound => Step == ExecStep.Execve && Errno == LibC.ENOENT;

    /// <summary>The launcher went away (or let go) while the process waited at its gate.</summary>
    public bool Abandoned => Step == ExecStep.Gate;

    public string Describe() => Step == ExecStep.Rlimit
        // runc's wording (libcontainer/process_linux.go setupRlimits).
        ? $"error setting rlimits for ready process: error setting rlimit type {Detail}: {Marshal.GetPInvokeErrorMessage(Errno).ToLowerInvariant()}"
        : $"{Name(Step)}: {Marshal.GetPInvokeErrorMessage(Errno).ToLowerInvariant()}";

    private static string Name(ExecStep step) => step switch
    {
        ExecStep.Signals => "signal dispositions",
        ExecStep.Descriptors => "close_range",
        ExecStep.Ready or ExecStep.Gate => "start gate",
        ExecStep.Keyring => "join session keyring",
        ExecStep.CgroupNamespace => "unshare cgroup namespace",
        ExecStep.Setsid => "setsid",
        ExecStep.ControllingTerminal => "set controlling terminal",
        ExecStep.Stdio => "dup2 stdio",
        ExecStep.Seccomp => "seccomp",
        ExecStep.BoundingSet => "prctl PR_CAPBSET_DROP",
        ExecStep.Setgroups => "setgroups",
        ExecStep.Setresgid => "setresgid",
        ExecStep.Setresuid => "setresuid",
        ExecStep.Capset => "capset",
        ExecStep.Ambient => "prctl PR_CAP_AMBIENT",
        ExecStep.NoNewPrivileges => "prctl PR_SET_NO_NEW_PRIVS",
        ExecStep.SignalMask => "sigprocmask",
        ExecStep.Execve => "exec",
        ExecStep.Clone => "clone",
        ExecStep.Stack => "mmap",
        ExecStep.OomScoreAdj => "write /proc/self/oom_score_adj",
        ExecStep.Cgroup => "join the container's cgroup",
        ExecStep.UserNamespace => "join the container's user namespace",
        _ => "exec setup",
    };
}
