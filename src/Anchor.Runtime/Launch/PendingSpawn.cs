using System.Runtime.InteropServices;
using System.Globalization;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Cgroups;
using Anchor.Runtime.Init;

namespace Anchor.Runtime.Launch;

/// <summary>
/// A container started without the init stage: a dedicated thread unshares the namespaces at once
/// and waits; at the release it sets the container up (<see cref="ThreadSetup"/>) and posix_spawns
/// the user's command (<see cref="DirectSpawn"/>). The child stops at the <see cref="SpawnGate"/>
/// while a second thread mounts its /proc (<see cref="ProcSetup"/>) and the releasing thread moves
/// it into its cgroup; then the gate opens and it execs. No second .NET runtime starts on the way,
/// and every step is the init stage's own code, run on a thread instead of in a process.
/// </summary>
public sealed class PendingSpawn : PendingContainer
{
    private readonly object _lock = new();
    private string _gateDirectory;
    private bool _keepStdin;
    private int _tid;
    private Exception? _namespaceFailure;
    private Request? _request;
    private Outcome? _outcome;
    private bool _abandoned;
    private bool _released;
    private Started? _started;

    private sealed record Request(Spec Spec, SpawnGate Gate, int AbortWrite);

    private sealed record Outcome(int Pid, int ExitCode, string? Error);

    /// <summary>What <see cref="Prepare"/> set up and the release (or the abort) takes down.</summary>
    private sealed record Started(int Tid, SpawnGate Gate, ProcSetup Proc, int AbortRead, int AbortWrite)
    {
        /// <summary>
        /// A process waiting at the gate outlives a launcher that dies (its blocked open(2) of the
        /// FIFO notices nothing): a terminating signal while the gate is shut kills it first.
        /// SIGKILL cannot be caught; see docs/architecture.md, Known limits.
        /// </summary>
        private readonly PosixSignalRegistration[] _guards =
        [
            .. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
                .Select(signal => PosixSignalRegistration.Create(signal, _ => ProcSetup.KillChildren(Tid))),
        ];

        /// <summary>
        /// SIGKILL for the process at the gate: by its pid once ProcSetup learnt it, else (ProcSetup
        /// failed before) every child of the setup thread; with neither, nothing reached the gate.
        /// </summary>
        public void KillWaiting(int pid)
        {
            if (pid > 0)
            {
                LibC.kill(pid, 9);
            }
            else if (Proc.Failed)
            {
                ProcSetup.KillChildren(Tid);
            }
        }

        public void Close()
        {
            foreach (var guard in _guards)
            {
                guard.Dispose();
            }

            Proc.Join(); // its thread is done with the gate before the gate goes
            Gate.Dispose();
            LibC.close(AbortRead);
            LibC.close(AbortWrite);
        }
    }

    internal PendingSpawn(string gateDirectory, Action enterNamespaces, bool keepStdin, Action? meanwhile)
    {
        _gateDirectory = gateDirectory;
        _keepStdin = keepStdin;
        NativeThread.Start(() => Body(enterNamespaces, meanwhile), "anchor-ns");
    }

    /// <summary>Gives a namespace thread started ahead of the parse (<see cref="ContainerLauncher.Prestart"/>) its container.</summary>
    internal void Adopt(string gateDirectory, bool keepStdin)
    {
        _gateDirectory = gateDirectory;
        _keepStdin = keepStdin;
    }

    /// <summary>Whether this kernel and configuration allow a direct spawn (procfs "pidns", Linux 6.17).</summary>
    public static bool Supported => ProcMount.Supported;

    public override int NamespacePid
    {
        get
        {
            lock (_lock)
            {
                while (_tid == 0 && _namespaceFailure is null)
                {
                    Monitor.Wait(_lock);
                }
            }

            return _namespaceFailure is not null
                ? throw new InvalidOperationException($"cannot create the container's namespaces: {_namespaceFailure.Message}", _namespaceFailure)
                : _tid;
        }
    }

    public override Func<int>? EarlyCgroupMember => null;

    public override bool ReadsBundle => false;

    /// <summary>
    /// Hands the spec to the namespace thread, which starts mounting the container's filesystem
    /// and spawns its process up to the gate while the engine finishes (the record, config.json);
    /// nothing of the user's command runs before <see cref="Release"/>.
    /// </summary>
    public override void Prepare(Spec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (_started is not null)
        {
            return;
        }

        if (spec.Process.Terminal)
        {
            throw new InvalidOperationException("a container with a terminal starts through the init stage");
        }

        var tid = NamespacePid;
        var (abortRead, abortWrite) = Sys.Pipe();
        SpawnGate gate;
        try
        {
            gate = SpawnGate.Create(_gateDirectory, spec.Process.User.Uid, spec.Process.User.Gid);
        }
        catch
        {
            LibC.close(abortRead);
            LibC.close(abortWrite);
            throw;
        }

        _started = new Started(tid, gate, new ProcSetup(spec, tid, gate, abortRead), abortRead, abortWrite);
        lock (_lock)
        {
            _request = new Request(spec, gate, abortWrite);
            Monitor.PulseAll(_lock);
        }
    }

    public override StartedContainer Release(ICgroupManager? cgroup, Spec spec, Action<int>? beforeExec = null)
    {
        Prepare(spec);
        var started = _started!;
        MarkReleased();
        try
        {
            string? failure = null;
            var pid = started.Proc.WaitForPid();
            if (pid > 0)
            {
                try
                {
                    cgroup?.AddProcess(pid);
                    PhaseTrace.Mark("spawn: in cgroup");
                    beforeExec?.Invoke(pid); // while /proc is being mounted
                    started.Proc.Wait();
                    started.Gate.Open();
                }
                catch (Exception e)
                {
                    // Never let it exec half set up: it dies at the gate, and the spawn returns.
                    started.KillWaiting(pid);
                    failure = e.Message;
                }
            }
            else if (started.Proc.Failed)
            {
                failure = "cannot start the container's process: " + started.Proc.FailureMessage;
                started.KillWaiting(pid);
            }

            var outcome = WaitOutcome();
            return failure is not null
                ? new StartedContainer(outcome.Pid, null, -1, InitExitCodes.SetupFailed, failure)
                : new StartedContainer(outcome.Pid, null, -1, outcome.ExitCode, outcome.Error);
        }
        finally
        {
            started.Close();
        }
    }

    public override void Dispose()
    {
        lock (_lock)
        {
            if (_request is null)
            {
                // Never released: the thread ends, and the namespaces with it.
                _abandoned = true;
                Monitor.PulseAll(_lock);
                return;
            }
        }

        if (_released || _started is not { } started)
        {
            return;
        }

        // Prepared, never released (the engine failed meanwhile): whatever reached the gate dies there.
        MarkReleased();
        started.KillWaiting(started.Proc.WaitForPid());

        var outcome = WaitOutcome();
        if (outcome.Pid > 0)
        {
            Sys.Reap(outcome.Pid, block: true);
        }

        started.Close();
    }

    private void MarkReleased()
    {
        lock (_lock)
        {
            _released = true;
            Monitor.PulseAll(_lock);
        }
    }

    private Outcome WaitOutcome()
    {
        lock (_lock)
        {
            while (_outcome is null)
            {
                Monitor.Wait(_lock);
            }

            return _outcome;
        }
    }

    private void Body(Action enterNamespaces, Action? meanwhile)
    {
        try
        {
            enterNamespaces();
            lock (_lock)
            {
                _tid = LibC.gettid();
                Monitor.PulseAll(_lock);
            }

            PhaseTrace.Mark("spawn: namespaces");
        }
        catch (Exception e)
        {
            lock (_lock)
            {
                _namespaceFailure = e;
                Monitor.PulseAll(_lock);
            }

            return;
        }

        try
        {
            meanwhile?.Invoke();
            PhaseTrace.Mark("spawn: warmed up");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a warm-up: the same work is done again where it is needed.
            PhaseTrace.Mark("spawn: meanwhile failed: " + e.Message);
        }

        Request request;
        lock (_lock)
        {
            while (_request is null && !_abandoned)
            {
                Monitor.Wait(_lock);
            }

            if (_request is null)
            {
                return;
            }

            request = _request;
        }

        Outcome outcome;
        try
        {
            var path = ThreadSetup.Prepare(request.Spec);
            var process = request.Spec.Process;
            var (pid, errno) = DirectSpawn.Start(path, process.Args, process.Env, process.Cwd, request.Gate.DirectoryFd, _keepStdin);
            PhaseTrace.Mark("spawn: spawned");
            outcome = errno == 0
                ? new Outcome(pid, 0, null)
                : new Outcome(0, errno == LibC.ENOENT ? InitExitCodes.NotFound : InitExitCodes.CannotInvoke, new LinuxException(errno, "exec", $"\"{process.Args[0]}\"").Message);
        }
        catch (InitFailureException e)
        {
            outcome = new Outcome(0, e.ExitCode, e.Message);
        }
        catch (Exception e)
        {
            outcome = new Outcome(0, InitExitCodes.SetupFailed, e.Message);
        }

        // Wakes ProcSetup if the child never reached the gate.
        try
        {
            Sys.WriteAll(request.AbortWrite, [1]);
        }
        catch (LinuxException)
        {
            // The pipe is ours and open until the outcome is in: nothing can fail here in practice.
        }

        lock (_lock)
        {
            _outcome = outcome;
            Monitor.PulseAll(_lock);
            // Stay until the release (or the abort): while this thread lives its namespaces do,
            // and the engine may still be wiring the network namespace (/proc/TID/ns/net) when a
            // setup that failed early (a command not found) has already returned here.
            while (!_released)
            {
                Monitor.Wait(_lock);
            }
        }
    }
}
