using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Cgroups;
using Anchor.Runtime.Init;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Launch;

/// <summary>
/// A container started without the init stage: a dedicated thread unshares the namespaces at once
/// and waits; at the release it sets the container's filesystem up (<see cref="ThreadSetup"/>) and
/// spawns a gated child (<see cref="GatedSpawn"/>). The child stops at its gate while a second
/// thread mounts its /proc (<see cref="ProcSetup"/>) and the releasing thread moves it into its
/// cgroup; then the gate opens and the child runs the exec tail (credentials, capabilities,
/// seccomp, execve). No second .NET runtime starts on the way, and every step is the init stage's
/// own code, run on a thread instead of in a process.
/// </summary>
public sealed class PendingSpawn : PendingContainer
{
    private readonly object _lock = new();
    private LaunchContext _context;
    private LaunchStdio _stdio;
    private int _tid;
    private Exception? _namespaceFailure;
    private Request? _request;
    private (string Root, SpecMount Mount)? _earlyRoot;
    private Exception? _earlyRootFailure;
    private SpawnOutcome? _outcome;
    private bool _abandoned;
    private bool _released;
    private Started? _started;
    private readonly UserNamespaceHolder? _userns;

    private sealed record Request(Spec Spec, GatedSpawn Gate, OwnedFd AbortWrite, ExecConfinement Confinement, Action? CgroupReady, Func<IReadOnlyList<OwnedFd>?>? TasksFiles);

    /// <summary>What <see cref="Prepare"/> set up and the release (or the abort) takes down.</summary>
    private sealed record Started(GatedSpawn Gate, ProcSetup Proc, OwnedFd AbortRead, OwnedFd AbortWrite)
    {
        public void Close()
        {
            Proc.Join(); // its thread is done with the gate before the gate goes
            Gate.Dispose();
            AbortRead.Dispose();
            AbortWrite.Dispose();
        }
    }

    internal PendingSpawn(LaunchContext context, Action enterNamespaces, LaunchStdio stdio, Action? meanwhile, UserNamespaceHolder? userns = null)
    {
        _context = context;
        _stdio = stdio;
        _userns = userns;
        NativeThread.Start(() => Body(enterNamespaces, meanwhile), "anchor-ns");
    }

    /// <summary>Gives a namespace thread started ahead of the parse (<see cref="ContainerLauncher.Prestart"/>) its container.</summary>
    internal void Adopt(LaunchStdio stdio, LaunchContext context)
    {
        _stdio = stdio;
        _context = context;
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

    /// <summary>Queues the root's mount for the namespace thread, which does it before the spec arrives.</summary>
    public override void MountRootEarly(string root, SpecMount rootMount)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(rootMount);
        lock (_lock)
        {
            if (_request is null && _earlyRoot is null)
            {
                _earlyRoot = (root, rootMount);
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>
    /// Hands the spec to the namespace thread, which starts mounting the container's filesystem
    /// and spawns its process up to the gate while the engine finishes (the record, config.json);
    /// nothing of the user's command runs before <see cref="Release"/>.
    /// </summary>
    public override void Prepare(Spec spec, Action? cgroupReady = null, Func<IReadOnlyList<OwnedFd>?>? tasksFiles = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (_started is not null)
        {
            return;
        }

        var tid = NamespacePid;
        var (abortRead, abortWrite) = OwnedFd.Pipe();
        var gate = new GatedSpawn();
        _started = new Started(gate, new ProcSetup(spec, tid, gate, abortRead.Fd), abortRead, abortWrite);
        lock (_lock)
        {
            _request = new Request(spec, gate, abortWrite, ContainerConfinement.For(spec, _context), cgroupReady, tasksFiles);
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
                    if (!started.Gate.JoinsCgroup)
                    {
                        cgroup?.AddProcess(pid); // else it joined by itself before it reported ready
                    }

                    PhaseTrace.Mark("spawn: in cgroup");
                    beforeExec?.Invoke(pid); // while /proc is being mounted
                    started.Proc.Wait();
                    started.Gate.Open();
                }
                catch (Exception e)
                {
                    // Never let it exec half set up: it leaves at the gate, and the spawn returns.
                    started.Gate.Abandon();
                    failure = e.Message;
                }
            }
            else if (started.Proc.Failed)
            {
                failure = "cannot start the container's process: " + started.Proc.FailureMessage;
                started.Gate.Abandon();
            }

            var outcome = WaitOutcome();
            return failure is not null
                ? new StartedContainer(outcome.Pid, null, -1, InitExitCodes.SetupFailed, failure)
                : new StartedContainer(outcome.Pid, null, outcome.PtyMaster, outcome.ExitCode, outcome.Error, outcome.Pipes);
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

        // Prepared, never released (the engine failed meanwhile): whatever reached the gate leaves there.
        MarkReleased();
        started.Gate.Abandon();
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

    private SpawnOutcome WaitOutcome()
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
            _userns?.Namespace?.Dispose();
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
        var rootMounted = false;
        lock (_lock)
        {
            while (_request is null && !_abandoned)
            {
                if (_earlyRoot is { } early && !rootMounted)
                {
                    // Mounted outside the lock: the engine goes on writing the /etc files meanwhile.
                    Monitor.Exit(_lock);
                    try
                    {
                        IdmapLayers(early.Mount);
                        ThreadSetup.MountRoot(early.Root, early.Mount);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        _earlyRootFailure = e; // reported as the setup's failure at the release
                    }
                    finally
                    {
                        Monitor.Enter(_lock);
                    }

                    rootMounted = true;
                    continue;
                }

                Monitor.Wait(_lock);
            }

            if (_request is null)
            {
                _userns?.Namespace?.Dispose();
                return;
            }

            request = _request;
        }

        var outcome = Spawn(request, rootMounted);
        _userns?.Namespace?.Dispose(); // the child joined it (or never will); this thread is in the rest

        // Wakes ProcSetup if the child never reached the gate.
        try
        {
            Sys.WriteAll(request.AbortWrite.Fd, [1]);
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

    /// <summary>Sets the container up on this thread and spawns its process; blocks until it exec'd or gave up.</summary>
    private SpawnOutcome Spawn(Request request, bool rootMounted) =>
        GatedTail.Spawn(() =>
        {
            if (rootMounted)
            {
                RequireSameRoot(request.Spec);
            }
            else
            {
                IdmapLayers(request.Spec.Mounts.FirstOrDefault(m => m.Destination == "/"));
            }

            if (_userns?.Namespace is { } userns)
            {
                request.Gate.JoinUserNamespace(userns.UserFd);
            }

            var path = ThreadSetup.Prepare(request.Spec, request.CgroupReady, rootMounted);
            if (request.TasksFiles?.Invoke() is { } files)
            {
                request.Gate.JoinCgroup(files);
            }

            return path;
        }, request.Spec.Process, request.Confinement, _stdio, request.Gate);

    /// <summary>With a user namespace of the container's own: its layers idmapped before the overlay is mounted on them.</summary>
    private void IdmapLayers(SpecMount? rootMount)
    {
        if (_userns is { Namespace: { } userns, Maps: { } maps })
        {
            IdmappedLayers.Apply(rootMount, userns, maps);
        }
    }

    /// <summary>The early mount failed, or is not the spec's root: the setup fails as a mount failure would.</summary>
    private void RequireSameRoot(Spec spec)
    {
        if (_earlyRootFailure is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        var (root, mount) = _earlyRoot!.Value;
        var specRoot = spec.Mounts.FirstOrDefault(m => m.Destination == "/");
        if (spec.Root.Path != root || specRoot is null || specRoot.Source != mount.Source || specRoot.Type != mount.Type || !specRoot.Options.SequenceEqual(mount.Options))
        {
            throw new InitFailureException(InitExitCodes.SetupFailed, "the container's root was mounted ahead of a spec with another root");
        }
    }
}
