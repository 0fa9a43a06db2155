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

    public int WaitForExit()
    {
        Process.WaitForExit();
        return Failed ? InitErrorCode : Process.ExitCode;
    }

    public void Dispose()
    {
        if (PtyMaster >= 0)
        {
            Linux.Interop.LibC.close(PtyMaster);
        }

        Process.Dispose();
    }
}
