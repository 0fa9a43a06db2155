using System.Runtime.InteropServices;
using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>The step of the exec tail that failed and its errno.</summary>
public readonly record struct ExecFailure(ExecStep Step, int Errno)
{
    /// <summary>execve(2) found no such program (docker: 127); every other failure to exec is 126.</summary>
    public bool NotFound => Step == ExecStep.Execve && Errno == LibC.ENOENT;

    /// <summary>The launcher went away (or let go) while the process waited at its gate.</summary>
    public bool Abandoned => Step == ExecStep.Gate;

    public string Describe() => $"{Name(Step)}: {Marshal.GetPInvokeErrorMessage(Errno).ToLowerInvariant()}";

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
        _ => "exec setup",
    };
}
