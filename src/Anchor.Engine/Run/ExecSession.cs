using System.Globalization;
using Anchor.Engine.Containers;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.Run;

/// <summary>
/// One started exec process: its stdio as <see cref="ExecRunner.Start"/> was asked for (the
/// launcher's own, pipes or a pty) and its exit, which <see cref="Wait"/> reports as docker's
/// exec_die event.
/// </summary>
public sealed class ExecSession(AnchorPaths paths, ContainerRecord container, string execId, PendingJoin pending, StartedContainer started) : IDisposable
{
    private int? _exitCode;

    public string ExecId { get; } = execId;

    public StartedContainer Process { get; } = started;

    /// <summary>Waits for the process, then records exec_die once (moby daemon/monitor.go ProcessEvent for an exec).</summary>
    public int Wait()
    {
        if (_exitCode is { } known)
        {
            return known;
        }

        var exitCode = Process.WaitForExit();
        _exitCode = exitCode;
        Events.EventLog.Emit(paths, Events.EventLog.Container(container, "exec_die", ("execID", ExecId), ("exitCode", exitCode.ToString(CultureInfo.InvariantCulture))));
        return exitCode;
    }

    public void Dispose()
    {
        Process.Dispose();
        pending.Dispose();
    }
}
