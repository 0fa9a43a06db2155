using System.Runtime.InteropServices;
using Anchor.Linux.Interop;

namespace Anchor.Linux;

/// <summary>
/// A child of the calling thread (clone(2) CLONE_VM|CLONE_VFORK, Native/anchor_exec.c) that stops
/// at a gate between its birth and its execve: it inherits that thread's namespaces, root and
/// working directory, reports through <see cref="WaitReady"/> that it exists, and goes on only when
/// <see cref="Open"/> writes one byte into the gate pipe. If the launcher dies first (SIGKILL
/// included), its end of the pipe closes and the child exits instead of waiting forever.
/// <see cref="Start"/> blocks the calling thread until the child has exec'd or exited (vfork).
/// </summary>
public sealed unsafe class GatedSpawn : IDisposable
{
    private readonly OwnedFd _readyRead;
    private readonly OwnedFd _readyWrite;
    private readonly OwnedFd _gateRead;
    private readonly OwnedFd _gateWrite;
    private AnchorNative.SpawnArgs* _spawn;
    private IReadOnlyList<OwnedFd> _cgroupFiles = [];
    private volatile bool _joinsCgroup;

    public GatedSpawn()
    {
        (_readyRead, _readyWrite) = OwnedFd.Pipe();
        (_gateRead, _gateWrite) = OwnedFd.Pipe();
        _spawn = (AnchorNative.SpawnArgs*)NativeMemory.AllocZeroed((nuint)sizeof(AnchorNative.SpawnArgs));
        _spawn->ready_fd = _readyWrite.Fd;
        _spawn->gate_fd = _gateRead.Fd;
        _spawn->userns_fd = -1;
    }

    /// <summary>Readable (one byte) once the child waits at the gate: poll it.</summary>
    public int ReadyFd => _readyRead.Fd;

    /// <summary>
    /// The child's pid: written by the kernel (CLONE_PARENT_SETTID) before the child runs, so it is
    /// valid once <see cref="ReadyFd"/> is readable, while <see cref="Start"/> still blocks.
    /// </summary>
    public int Pid => Volatile.Read(ref _spawn->pid);

    /// <summary>Whether the child joins its cgroup itself (<see cref="JoinCgroup"/>), before it reports ready.</summary>
    public bool JoinsCgroup => _joinsCgroup;

    /// <summary>
    /// Makes the child write "0" into each of <paramref name="tasksFiles"/> (cgroup v1 "tasks" files
    /// open for writing) before it reports ready: a move of the calling thread alone, which the
    /// kernel makes without the global cgroup_threadgroup_rwsem and so without its RCU grace period
    /// (Native/anchor_exec.c). Takes ownership of the descriptors; call before <see cref="Start"/>.
    /// </summary>
    public void JoinCgroup(IReadOnlyList<OwnedFd> tasksFiles)
    {
        ArgumentNullException.ThrowIfNull(tasksFiles);
        if (tasksFiles.Count > MaxCgroupFiles)
        {
            throw new ArgumentException($"at most {MaxCgroupFiles} cgroup files", nameof(tasksFiles));
        }

        DisposeCgroupFiles();
        _cgroupFiles = tasksFiles;
        var fds = (int*)NativeMemory.Alloc((nuint)Math.Max(tasksFiles.Count, 1), sizeof(int));
        for (var i = 0; i < tasksFiles.Count; i++)
        {
            fds[i] = tasksFiles[i].Fd;
        }

        _spawn->cgroup_fds = fds;
        _spawn->ncgroup_fds = tasksFiles.Count;
        _joinsCgroup = tasksFiles.Count > 0;
    }

    /// <summary>
    /// Makes the child join this user namespace (setns(2)) before it reports ready: the container's,
    /// with --userns. The descriptor stays the caller's and must stay open until <see cref="Start"/> returns.
    /// </summary>
    public void JoinUserNamespace(int usernsFd) => _spawn->userns_fd = usernsFd;

    /// <summary>ANCHOR_MAX_CGROUP_FDS in Native/anchor_exec.c.</summary>
    public const int MaxCgroupFiles = 32;

    /// <summary>
    /// Starts the child and returns once it has exec'd (Failure null) or exited before (Failure
    /// set; Pid is non-zero when a child existed and must be reaped).
    /// </summary>
    public (int Pid, ExecFailure? Failure) Start(ExecRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _spawn->exec = request.Native;
        var pid = AnchorNative.anchor_spawn(_spawn);
        // The child had its own copies (clone without CLONE_FILES) and has closed them by now.
        DisposeCgroupFiles();
        return (Math.Max(pid, 0), request.Failure);
    }

    /// <summary>
    /// Waits until the child sits at its gate and returns its pid, or 0 once <paramref name="abortFd"/>
    /// turns readable first (the spawning thread writes it when <see cref="Start"/> returned: the
    /// child exec'd or died before it reached the gate).
    /// </summary>
    public int WaitReady(int abortFd)
    {
        var fds = stackalloc LibC.Pollfd[2];
        fds[0] = new LibC.Pollfd { fd = _readyRead.Fd, events = LibC.POLLIN };
        fds[1] = new LibC.Pollfd { fd = abortFd, events = LibC.POLLIN };
        while (true)
        {
            if (LibC.poll(fds, 2, -1) < 0)
            {
                Sys.Check(Sys.LastErrno == LibC.EINTR ? 0 : -1, "poll", "spawn gate");
                continue;
            }

            byte b;
            if ((fds[0].revents & LibC.POLLIN) != 0 && LibC.read(_readyRead.Fd, &b, 1) == 1)
            {
                return Pid;
            }

            if (fds[1].revents != 0)
            {
                return 0;
            }
        }
    }

    /// <summary>Lets the child go on to its exec tail.</summary>
    public void Open() => Sys.WriteAll(_gateWrite.Fd, [1]);

    /// <summary>Makes a waiting child give up (it reads end of file and exits): for every failure path.</summary>
    public void Abandon() => _gateWrite.Dispose();

    public void Dispose()
    {
        _gateWrite.Dispose();
        _gateRead.Dispose();
        _readyWrite.Dispose();
        _readyRead.Dispose();
        if (_spawn != null)
        {
            DisposeCgroupFiles();
            NativeMemory.Free(_spawn);
            _spawn = null;
        }
    }

    private void DisposeCgroupFiles()
    {
        foreach (var file in _cgroupFiles)
        {
            file.Dispose();
        }

        if (_spawn != null && _spawn->cgroup_fds != null)
        {
            NativeMemory.Free(_spawn->cgroup_fds);
            _spawn->cgroup_fds = null;
            _spawn->ncgroup_fds = 0;
        }
    }
}
