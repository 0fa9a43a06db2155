using System.Diagnostics;

namespace Anchor.Runtime.Launch;

/// <summary>
/// A container whose init has been released: either it exec'd the user's command, or it reported
/// why it could not (<see cref="InitErrorCode"/>, <see cref="InitError"/>).
/// </summary>
public sealed class StartedContainer(Process process, int ptyMaster, int initErrorCode, string? initError) : IDisposable
{
    public Process Process { get; } = process;

    public int Pid => Process.Id;

    /// <summary>The launcher's copy of the pty master, or -1 without a terminal.</summary>
    public int PtyMaster { get; } = ptyMaster;

    public int InitErrorCode { get; } = initErrorCode;

    public string? InitError { get; } = initError;

    public bool Failed => InitError is not null;

    /// <summary>
    /// Waits in waitid(2) rather than Process.WaitForExit: the kernel wakes this thread at the exit,
    /// instead of .NET's signal thread waking it after its own waitpid (two hand-offs fewer on the
    /// way from the container's exit to the cleanup). Process still reaps the child.
    /// </summary>
    public int WaitForExit()
    {
        if (Failed)
        {
            Process.WaitForExit();
            return InitErrorCode;
        }

        if (_exitCode is null)
        {
            _exitCode = Linux.Sys.WaitForExitNoReap(Process.Id);
            if (_exitCode is null)
            {
                // Process reaped it first: it has the code.
                Process.WaitForExit();
                _exitCode = Process.ExitCode;
            }
        }

        return _exitCode.Value;
    }

    private int? _exitCode;

    public void Dispose()
    {
        if (PtyMaster >= 0)
        {
            Linux.Interop.LibC.close(PtyMaster);
        }

        Process.Dispose();
    }
}
