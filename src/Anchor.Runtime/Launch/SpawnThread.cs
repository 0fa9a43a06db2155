using System.Diagnostics;
using Anchor.Linux;
using Anchor.Runtime.Init;

namespace Anchor.Runtime.Launch;

/// <summary>
/// The dedicated thread that unshares (or joins) the container's namespaces and starts the hidden stage:
/// Process.Start vforks from the calling thread, so the child is born in those namespaces and is
/// PID 1 of the new pid namespace. The thread does nothing else and ends: after unshare(CLONE_NEWPID)
/// it could not create threads any more (linux-from-dotnet.md).
/// </summary>
internal sealed class SpawnThread
{
    private readonly Thread _thread;
    private readonly object _gate = new();
    private bool _spawned;
    private Process? _process;
    private Exception? _failure;

    /// <param name="meanwhile">Work for the rest of the thread's life, after the spawn (the caller
    /// does not wait for it): the CLI warms up its JSON metadata here while its main thread
    /// resolves the image. It must not create threads (this one may be in a new pid namespace).</param>
    public SpawnThread(Action enterNamespaces, InitOptions init, bool pipes, bool pipeStdin, Action afterStart, Action? meanwhile = null)
    {
        _thread = new Thread(() =>
        {
            try
            {
                enterNamespaces();
                // With pipes (a monitor owns the container, or a foreground run keeps its log),
                // stdout and stderr come back to the parent as pipes, and stdin too when the
                // monitor keeps it open; otherwise init inherits ours.
                var psi = new ProcessStartInfo(Environment.ProcessPath ?? "/proc/self/exe")
                {
                    UseShellExecute = false,
                    RedirectStandardOutput = pipes,
                    RedirectStandardError = pipes,
                    RedirectStandardInput = pipeStdin,
                };
                foreach (var arg in init.ToArguments())
                {
                    psi.ArgumentList.Add(arg);
                }

                _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the init stage");
                PhaseTrace.Mark("launch: spawned");
            }
            catch (Exception e)
            {
                _failure = e;
            }
            finally
            {
                afterStart();
                lock (_gate)
                {
                    _spawned = true;
                    Monitor.PulseAll(_gate);
                }
            }

            try
            {
                meanwhile?.Invoke();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Only a warm-up: the same work is done again where it is needed.
                PhaseTrace.Mark("launch: meanwhile failed: " + e.Message);
            }
        }, maxStackSize: 256 * 1024) { Name = "anchor-ns" };
        _thread.Start();
    }

    /// <summary>Waits for the spawn; throws what it failed with.</summary>
    public Process Join()
    {
        WaitSpawned();
        return _failure is not null ? throw new InvalidOperationException($"cannot start the container's init stage: {_failure.Message}", _failure) : _process!;
    }

    /// <summary>Waits for the spawn; null when it failed.</summary>
    public Process? JoinQuietly()
    {
        WaitSpawned();
        return _process;
    }

    private void WaitSpawned()
    {
        lock (_gate)
        {
            while (!_spawned)
            {
                Monitor.Wait(_gate);
            }
        }
    }
}
