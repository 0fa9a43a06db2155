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
    private readonly TaskCompletionSource _began = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _started;
    private int _ptyMaster = -1;

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

    /// <param name="ptyMaster">The exec's pty (its owner closes it after <see cref="Ended"/>), or -1.</param>
    public void Began(int pid, int ptyMaster = -1)
    {
        lock (_lock)
        {
            Pid = pid;
            Running = true;
            _ptyMaster = ptyMaster;
        }

        _began.TrySetResult();
    }

    /// <summary>
    /// POST /exec/{id}/resize: TIOCSWINSZ on the exec's pty (tty_ioctl(4); the kernel sends the
    /// foreground process group SIGWINCH). moby waits up to 10 s for the exec to begin (its CLI
    /// resizes right after the start it is still making); one without a pty is left alone.
    /// </summary>
    public async Task Resize(ushort rows, ushort columns)
    {
        if (await Task.WhenAny(_began.Task, Task.Delay(TimeSpan.FromSeconds(10))) != _began.Task)
        {
            throw new InvalidOperationException("timeout waiting for exec session ready");
        }

        lock (_lock)
        {
            // Under the lock: Ended comes before the pty is closed, so the descriptor is still the exec's.
            if (Running && _ptyMaster >= 0)
            {
                Anchor.Engine.Attach.TerminalSize.Set(_ptyMaster, rows, columns);
            }
        }
    }

    public void Ended(int exitCode)
    {
        lock (_lock)
        {
            Running = false;
            ExitCode = exitCode;
            _ptyMaster = -1;
        }

        _began.TrySetResult();
    }
}
