using System.Globalization;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Launch;

/// <summary>
/// The part of a direct spawn that needs the container's first process to exist, done on a
/// short-lived thread of its own while that process waits at the <see cref="SpawnGate"/>: /proc for
/// the container's pid namespace (<see cref="ProcMount"/>), then the masked and read-only paths
/// and a read-only root, as runc does them after pivot_root. The thread unshares its fs_struct and
/// joins the container's mount namespace (setns(2)), so it ends when done.
/// </summary>
internal sealed class ProcSetup
{
    private readonly object _gate = new();
    private int _pid = -1;
    private bool _done;
    private Exception? _failure;

    /// <param name="setupTid">The thread that unshared the namespaces and spawns the child.</param>
    /// <param name="abortFd">Readable once the spawn has returned (the child will never reach the gate, or is past it).</param>
    public ProcSetup(Spec spec, int setupTid, SpawnGate gate, int abortFd)
    {
        NativeThread.Start(() =>
        {
            try
            {
                var pid = WaitForChild(setupTid, gate.ReadyFd, abortFd);
                Publish(pid);
                if (pid > 0)
                {
                    Setup(spec, pid, setupTid);
                }
            }
            catch (Exception e)
            {
                _failure = e;
            }
            finally
            {
                lock (_gate)
                {
                    if (_pid < 0)
                    {
                        _pid = 0;
                    }

                    _done = true;
                    Monitor.PulseAll(_gate);
                }
            }
        }, "anchor-proc");
    }

    /// <summary>The child's host pid once it waits at the gate, or 0 when it never got there.</summary>
    public int WaitForPid()
    {
        lock (_gate)
        {
            while (_pid < 0)
            {
                Monitor.Wait(_gate);
            }

            return _pid;
        }
    }

    /// <summary>Waits until /proc and the masks are in place; throws what failed.</summary>
    public void Wait()
    {
        lock (_gate)
        {
            while (!_done)
            {
                Monitor.Wait(_gate);
            }
        }

        if (_failure is not null)
        {
            throw new InitFailureException(InitExitCodes.SetupFailed, _failure.Message);
        }
    }

    /// <summary>Whether it has failed (only meaningful once <see cref="WaitForPid"/> returned).</summary>
    public bool Failed => _failure is not null;

    public string? FailureMessage => _failure?.Message;

    /// <summary>SIGKILL for every child of the setup thread (best effort).</summary>
    public static void KillChildren(int setupTid)
    {
        try
        {
            foreach (var pid in File.ReadAllText($"/proc/self/task/{setupTid.ToString(CultureInfo.InvariantCulture)}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                LibC.kill(int.Parse(pid, CultureInfo.InvariantCulture), 9);
            }
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            // Nothing more to try: the spawn stays blocked only until this process exits.
        }
    }

    /// <summary>Waits for the thread to be done, whatever it did.</summary>
    public void Join()
    {
        lock (_gate)
        {
            while (!_done)
            {
                Monitor.Wait(_gate);
            }
        }
    }

    private void Publish(int pid)
    {
        lock (_gate)
        {
            _pid = pid;
            Monitor.PulseAll(_gate);
        }
    }

    private static unsafe int WaitForChild(int setupTid, int readyFd, int abortFd)
    {
        var fds = stackalloc LibC.Pollfd[2];
        fds[0] = new LibC.Pollfd { fd = readyFd, events = LibC.POLLIN };
        fds[1] = new LibC.Pollfd { fd = abortFd, events = LibC.POLLIN };
        while (true)
        {
            if (LibC.poll(fds, 2, -1) < 0)
            {
                Sys.Check(Sys.LastErrno == LibC.EINTR ? 0 : -1, "poll", "spawn gate");
                continue;
            }

            if ((fds[0].revents & LibC.POLLHUP) != 0)
            {
                break;
            }

            if (fds[1].revents != 0)
            {
                return 0;
            }
        }

        // The child closed its end of "ready": it exists, a child of the setup thread (proc(5)
        // /proc/PID/task/TID/children).
        var children = File.ReadAllText($"/proc/self/task/{setupTid.ToString(CultureInfo.InvariantCulture)}/children").Trim();
        var first = children.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is not null ? int.Parse(first, CultureInfo.InvariantCulture) : throw new InvalidOperationException("the container's process vanished before it started");
    }

    private static void Setup(Spec spec, int pid, int setupTid)
    {
        var pidNs = OpenNamespace($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/pid");
        var mntNs = -1;
        try
        {
            mntNs = OpenNamespace($"/proc/self/task/{setupTid.ToString(CultureInfo.InvariantCulture)}/ns/mnt");
            Sys.Unshare(LibC.CLONE_FS);
            Sys.Check(LibC.setns(mntNs, LibC.CLONE_NEWNS), "setns", "mount namespace");
            foreach (var mount in spec.Mounts)
            {
                if (mount.Type == "proc")
                {
                    var options = MountOptions.Parse(mount.Options);
                    var target = mount.Destination;
                    Directory.CreateDirectory(target);
                    ProcMount.Mount(pidNs, target, options.Flags);
                }
            }

            MaskedPaths.Apply(spec.Linux.MaskedPaths, spec.Linux.ReadonlyPaths);
            if (spec.Root.Readonly)
            {
                RootfsSetup.MakeRootReadOnly();
            }

            PhaseTrace.Mark("spawn: proc and masks");
        }
        finally
        {
            LibC.close(pidNs);
            if (mntNs >= 0)
            {
                LibC.close(mntNs);
            }
        }
    }

    private static int OpenNamespace(string path)
    {
        var fd = LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        Sys.Check(fd, "open", path);
        return fd;
    }
}
