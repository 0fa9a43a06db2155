using System.Diagnostics;
using Anchor.Linux;
using Anchor.Linux.Interop;

namespace Anchor.Runtime.Launch;

/// <summary>
/// A container whose first process has been started: either it exec'd the user's command, or the
/// start failed and says why (<see cref="InitErrorCode"/>, <see cref="InitError"/>). The process is
/// a .NET <see cref="System.Diagnostics.Process"/> when the init stage started it, or only a pid when
/// it was spawned directly (<see cref="PendingSpawn"/>); then this object reaps it.
/// </summary>
public sealed class StartedContainer(int pid, Process? process, int ptyMaster, int initErrorCode, string? initError, ContainerPipes? pipes = null) : IDisposable
{
    private int? _exitCode;
    private bool _reaped;

    /// <summary>The init stage's process with its redirected stdio, or null for a directly spawned one.</summary>
    public Process? Process { get; } = process;

    /// <summary>The host pid, 0 when nothing is left to wait for (a spawn that failed).</summary>
    public int Pid { get; } = pid;

    /// <summary>The launcher's copy of the pty master, or -1 without a terminal.</summary>
    public int PtyMaster { get; } = ptyMaster;

    /// <summary>The launcher's ends of the stdio pipes of a directly spawned container (StdioKind.Pipes), else null.</summary>
    public ContainerPipes? Pipes { get; } = pipes;

    public int InitErrorCode { get; } = initErrorCode;

    public string? InitError { get; } = initError;

    public bool Failed => InitError is not null;

    /// <summary>
    /// Waits in waitid(2) rather than Process.WaitForExit: the kernel wakes this thread at the exit,
    /// instead of .NET's signal thread waking it after its own waitpid (two hand-offs fewer on the
    /// way from the container's exit to the cleanup). The zombie stays until <see cref="Dispose"/>
    /// (or Process reaps it), so a signal forwarded meanwhile can never reach a recycled pid.
    /// </summary>
    public int WaitForExit()
    {
        if (Failed)
        {
            Process?.WaitForExit();
            if (Process is null && Pid > 0)
            {
                _exitCode ??= Sys.WaitForExitNoReap(Pid) ?? InitErrorCode;
            }

            return InitErrorCode;
        }

        if (_exitCode is null)
        {
            _exitCode = Sys.WaitForExitNoReap(Pid);
            if (_exitCode is null)
            {
                // Process reaped it first: it has the code.
                Process!.WaitForExit();
                _exitCode = Process.ExitCode;
            }
        }

        return _exitCode.Value;
    }

    public void Dispose()
    {
        Pipes?.Dispose();
        if (PtyMaster >= 0)
        {
            LibC.close(PtyMaster);
        }

        if (Process is not null)
        {
            Process.Dispose();
        }
        else if (Pid > 0 && !_reaped)
        {
            _reaped = true;
            // Exited: take the zombie. Still running (an error on the way): not ours to wait for.
            Sys.Reap(Pid, block: _exitCode is not null);
        }
    }
}
