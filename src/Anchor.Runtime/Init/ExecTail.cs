using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Init;

/// <summary>
/// Turns the spec's process into the request the exec tail carries out (Native/anchor_exec.c):
/// the last, fixed part of every container process's setup — session keyring, cgroup namespace,
/// stdio and session, seccomp, bounding set, groups/gid/uid, capability sets, no_new_privs, execve
/// (docs/architecture.md, "The setup sequence"). Used by the direct spawn, the init stage and exec.
/// </summary>
public static class ExecTail
{
    /// <param name="path">The program, already looked up in the container (<see cref="ProcessExec.Prepare"/>).</param>
    /// <param name="confinement">What surrounds the process: its seccomp program, cgroup namespace, keyring.</param>
    public static ExecRequest Build(SpecProcess process, string path, ExecConfinement confinement)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(confinement);
        var request = new ExecRequest(path, process.Args, process.Env);
        try
        {
            var user = process.User;
            request.SetUser(user.Uid, user.Gid, user.AdditionalGids ?? []);
            if (process.Capabilities is { } caps)
            {
                request.SetCapabilities(
                    Capabilities.ToMask(caps.Bounding),
                    Capabilities.ToMask(caps.Effective),
                    Capabilities.ToMask(caps.Permitted),
                    Capabilities.ToMask(caps.Inheritable),
                    Capabilities.ToMask(caps.Ambient),
                    Capabilities.LastCap());
            }

            if (process.Rlimits is { Count: > 0 } rlimits)
            {
                request.SetRlimits([.. rlimits.Select(r => (RlimitNames.Resource(r.Type), r.Soft, r.Hard))]);
            }

            if (process.OomScoreAdj is { } oom)
            {
                request.SetOomScoreAdj(oom);
            }

            if (confinement.Seccomp is { } program)
            {
                request.SetSeccomp(program.Span, confinement.SeccompFlags);
            }

            request.AddFlags(
                AnchorNative.SETSID
                | (process.NoNewPrivileges ? AnchorNative.NNP : 0)
                | (confinement.NewSessionKeyring ? AnchorNative.KEYRING : 0)
                | (confinement.NewCgroupNamespace ? AnchorNative.CGROUPNS : 0));
            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    /// <summary>The exit code and docker's message for a tail that failed.</summary>
    public static (int ExitCode, string Message) Describe(ExecFailure failure, IReadOnlyList<string> args)
    {
        if (failure.Step == ExecStep.Execve)
        {
            var code = failure.NotFound ? InitExitCodes.NotFound : InitExitCodes.CannotInvoke;
            return (code, new LinuxException(failure.Errno, "exec", $"\"{(args.Count > 0 ? args[0] : "")}\"").Message);
        }

        return (failure.Abandoned ? InitExitCodes.Aborted : InitExitCodes.SetupFailed, "cannot start the container's process: " + failure.Describe());
    }
}
