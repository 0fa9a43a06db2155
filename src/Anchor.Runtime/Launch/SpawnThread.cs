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
    private Process? _process;
    private Exception? _failure;

    public SpawnThread(Action enterNamespaces, InitOptions init, bool pipes, Action afterStart)
    {
        _thread = new Thread(() =>
        {
            try
            {
                enterNamespaces();
                // With pipes (a monitor owns the container), stdout and stderr come back to the
                // parent as pipes, and stdin too when it stays open; otherwise init inherits ours.
                var psi = new ProcessStartInfo(Environment.ProcessPath ?? "/proc/self/exe")
                {
                    UseShellExecute = false,
                    RedirectStandardOutput = pipes,
                    RedirectStandardError = pipes,
                    RedirectStandardInput = pipes && init.KeepStdin,
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
            }
        }, maxStackSize: 256 * 1024) { Name = "anchor-ns" };
        _thread.Start();
    }

    /// <summary>Waits for the spawn; throws what it failed with.</summary>
    public Process Join()
    {
        _thread.Join();
        return _failure is not null ? throw new InvalidOperationException($"cannot start the container's init stage: {_failure.Message}", _failure) : _process!;
    }

    /// <summary>Waits for the spawn; null when it failed.</summary>
    public Process? JoinQuietly()
    {
        _thread.Join();
        return _process;
    }
}
