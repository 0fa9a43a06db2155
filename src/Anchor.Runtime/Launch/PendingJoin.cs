using System.Globalization;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Cgroups;
using Anchor.Runtime.Init;

namespace Anchor.Runtime.Launch;

/// <summary>
/// A process joining a running container (<c>anchor exec</c>), started the way a container's first
/// process is, without a second .NET runtime: a dedicated thread unshares its fs_struct, joins the
/// container's namespaces with setns(2) (the mount namespace last, which also gives it the
/// container's root and working directory), looks the command up, and spawns a gated child
/// (<see cref="GatedSpawn"/>), which joins the container's cgroup by itself on v1 (the releasing
/// thread moves it on v2) before the release lets it run its exec tail. The thread ends with the spawn: it can make no more threads once in
/// another pid namespace (docs/linux-from-dotnet.md).
/// </summary>
public sealed class PendingJoin : IDisposable
{
    private readonly object _lock = new();
    private readonly GatedSpawn _gate = new();
    private readonly OwnedFd _abortRead;
    private readonly OwnedFd _abortWrite;
    private SpawnOutcome? _outcome;
    private bool _released;

    /// <param name="tasksFiles">The container's v1 "tasks" files: the child joins the cgroup by
    /// itself before it reports ready (opened here, in this process's mount namespace, before the
    /// thread leaves it); null: the release moves it.</param>
    internal PendingJoin(SpecProcess process, int containerPid, Init.ExecConfinement confinement, LaunchStdio stdio, IReadOnlyList<OwnedFd>? tasksFiles = null)
    {
        (_abortRead, _abortWrite) = OwnedFd.Pipe();
        if (tasksFiles is not null)
        {
            _gate.JoinCgroup(tasksFiles);
        }

        NativeThread.Start(() =>
        {
            OwnedFd? userns = null;
            var outcome = GatedTail.Spawn(() =>
            {
                // A container with a user namespace of its own: the child joins it (a
                // multithreaded process cannot), opened before the mount namespace hides /proc.
                userns = UserNamespace.OpenOf(containerPid);
                if (userns is not null)
                {
                    _gate.JoinUserNamespace(userns.Fd);
                }

                Join(containerPid);
                return ProcessExec.Prepare(process, createCwd: false);
            }, process, confinement, stdio, _gate);
            userns?.Dispose();
            try
            {
                Sys.WriteAll(_abortWrite.Fd, [1]);
            }
            catch (LinuxException)
            {
                // Ours and open until the outcome is in.
            }

            lock (_lock)
            {
                _outcome = outcome;
                Monitor.PulseAll(_lock);
            }
        }, "anchor-join");
    }

    /// <summary>Moves the process into the container's cgroup, lets it exec, and returns it.</summary>
    public StartedContainer Release(ICgroupManager cgroup)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        _released = true;
        string? failure = null;
        var pid = _gate.WaitReady(_abortRead.Fd);
        if (pid > 0)
        {
            try
            {
                if (!_gate.JoinsCgroup)
                {
                    cgroup.AddProcess(pid); // else it joined by itself before it reported ready
                }

                _gate.Open();
            }
            catch (Exception e) when (e is CgroupException or LinuxException or IOException)
            {
                _gate.Abandon();
                failure = e.Message;
            }
        }

        var outcome = WaitOutcome();
        return failure is not null
            ? new StartedContainer(outcome.Pid, null, outcome.PtyMaster, InitExitCodes.SetupFailed, failure, outcome.Pipes)
            : new StartedContainer(outcome.Pid, null, outcome.PtyMaster, outcome.ExitCode, outcome.Error, outcome.Pipes);
    }

    public void Dispose()
    {
        if (!_released)
        {
            _gate.Abandon();
            if (WaitOutcome() is { Pid: > 0 } outcome)
            {
                Sys.Reap(outcome.Pid, block: true);
            }
        }
        else
        {
            _ = WaitOutcome();
        }

        _gate.Dispose();
        _abortRead.Dispose();
        _abortWrite.Dispose();
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

    /// <summary>
    /// setns(2) into every namespace of the container's init: all descriptors opened first (their
    /// /proc paths resolve in our mount namespace), the mount namespace last (it needs an unshared
    /// fs_struct and changes root and cwd), then "/" as the working directory to start from.
    /// </summary>
    private static void Join(int pid)
    {
        Sys.Unshare(LibC.CLONE_FS);
        (string Name, int Type)[] kinds =
        [
            ("ipc", LibC.CLONE_NEWIPC), ("uts", LibC.CLONE_NEWUTS), ("net", LibC.CLONE_NEWNET),
            ("cgroup", LibC.CLONE_NEWCGROUP), ("pid", LibC.CLONE_NEWPID), ("mnt", LibC.CLONE_NEWNS),
        ];
        var fds = new List<(OwnedFd Fd, int Type, string Name)>();
        try
        {
            foreach (var (name, type) in kinds)
            {
                var path = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/{name}";
                fds.Add((OwnedFd.Check(LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0), "open", path), type, name));
            }

            foreach (var (fd, type, name) in fds)
            {
                Sys.Check(LibC.setns(fd.Fd, type), "setns", name);
            }
        }
        finally
        {
            foreach (var (fd, _, _) in fds)
            {
                fd.Dispose();
            }
        }

        Sys.Check(LibC.chdir("/"), "chdir", "/");
    }
}
