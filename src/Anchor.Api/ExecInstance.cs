using Anchor.Engine.Run;

namespace Anchor.Api;

/// <summary>
/// One exec instance of the API: made by POST /containers/{id}/exec, run once by POST
/// /exec/{id}/start, shown by GET /exec/{id}/json. Kept in the server's memory, as dockerd keeps
/// its own (moby daemon/exec: the exec store is not persisted).
/// </summary>
public sealed class ExecInstance(string id, string containerId, ExecOptions options, bool attachStdout, bool attachStderr)
{
    private readonly object _lock = new();
    private bool _started;

    public string Id { get; } = id;

    public string ContainerId { get; } = containerId;

    public ExecOptions Options { get; } = options;

    public bool AttachStdout { get; } = attachStdout;

    public bool AttachStderr { get; } = attachStderr;

    public bool Running { get; private set; }

    /// <summary>Null until the process has ended (moby's ExitCode *int).</summary>
    public int? ExitCode { get; private set; }

    public int Pid { get; private set; }

    /// <summary>Marks the instance started; a second start is docker's 409.</summary>
    public void Claim()
    {
        lock (_lock)
        {
            if (_started)
            {
                // moby daemon/exec.go ContainerExecStart: errdefs.Conflict.
                throw new Anchor.Engine.EngineException($"Error: Exec command {Id} is already running") { Kind = Anchor.Engine.EngineErrorKind.Conflict };
            }

            _started = true;
        }
    }

    public void Began(int pid)
    {
        lock (_lock)
        {
            Pid = pid;
            Running = true;
        }
    }

    public void Ended(int exitCode)
    {
        lock (_lock)
        {
            Running = false;
            ExitCode = exitCode;
        }
    }
}
