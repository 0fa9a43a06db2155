using Anchor.Linux;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;

namespace Anchor.Runtime.Launch;

/// <summary>
/// The spawn both a container's first process (<see cref="PendingSpawn"/>) and an exec
/// (<see cref="PendingJoin"/>) end with, on the thread that sits in the container's namespaces and
/// root: look the command up, build the exec tail, give it its stdio, start the gated child, and
/// turn what happened into an outcome (a child that failed before execve is reaped here).
/// </summary>
internal static class GatedTail
{
    /// <param name="prepare">What must happen first on this thread; returns the program's path.</param>
    public static SpawnOutcome Spawn(Func<string> prepare, SpecProcess process, ExecConfinement confinement, LaunchStdio launchStdio, GatedSpawn gate)
    {
        try
        {
            var path = prepare();
            using var exec = ExecTail.Build(process, path, confinement);
            using var stdio = SpawnStdio.Create(launchStdio);
            stdio.ApplyTo(exec);
            var (pid, failure) = gate.Start(exec);
            stdio.CloseChildEnds();
            PhaseTrace.Mark("spawn: spawned");
            if (failure is not { } f)
            {
                return new SpawnOutcome(pid, 0, null, stdio.TakeMaster(), stdio.TakePipes());
            }

            if (pid > 0)
            {
                Sys.Reap(pid, block: true);
            }

            var (code, message) = ExecTail.Describe(f, process.Args);
            return new SpawnOutcome(0, code, message);
        }
        catch (InitFailureException e)
        {
            return new SpawnOutcome(0, e.ExitCode, e.Message);
        }
        catch (Exception e)
        {
            return new SpawnOutcome(0, InitExitCodes.SetupFailed, e.Message);
        }
    }
}
