using System.Globalization;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;
using Anchor.Runtime.Security;

namespace Anchor.Runtime.Launch;

/// <summary>
/// The part of a direct spawn that needs the container's first process to exist, done on a
/// short-lived thread of its own while that process waits at its gate (<see cref="GatedSpawn"/>):
/// /proc for the container's pid namespace (<see cref="ProcMount"/>), then the masked and read-only
/// paths and a read-only root, as runc does them after pivot_root. The thread unshares its fs_struct
/// and joins the container's mount namespace (setns(2)), so it ends when done.
/// </summary>
internal sealed class ProcSetup
{
    private readonly object _lock = new();
    private int _pid = -1;
    private bool _done;
    private Exception? _failure;

    /// <param name="setupTid">The thread that unshared the namespaces and spawns the child.</param>
    /// <param name="abortFd">Readable once the spawn has returned (the child will never reach the gate, or is past it).</param>
    public ProcSetup(Spec spec, int setupTid, GatedSpawn gate, int abortFd)
    {
        NativeThread.Start(() =>
        {
            try
            {
                var pid = gate.WaitReady(abortFd);
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
                lock (_lock)
                {
                    if (_pid < 0)
                    {
                        _pid = 0;
                    }

                    _done = true;
                    Monitor.PulseAll(_lock);
                }
            }
        }, "anchor-proc");
    }

    /// <summary>The child's host pid once it waits at the gate, or 0 when it never got there.</summary>
    public int WaitForPid()
    {
        lock (_lock)
        {
            while (_pid < 0)
            {
                Monitor.Wait(_lock);
            }

            return _pid;
        }
    }

    /// <summary>Waits until /proc and the masks are in place; throws what failed.</summary>
    public void Wait()
    {
        Join();
        if (_failure is not null)
        {
            throw new InitFailureException(InitExitCodes.SetupFailed, _failure.Message);
        }
    }

    /// <summary>Whether it has failed (only meaningful once <see cref="WaitForPid"/> returned).</summary>
    public bool Failed => _failure is not null;

    public string? FailureMessage => _failure?.Message;

    /// <summary>Waits for the thread to be done, whatever it did.</summary>
    public void Join()
    {
        lock (_lock)
        {
            while (!_done)
            {
                Monitor.Wait(_lock);
            }
        }
    }

    private void Publish(int pid)
    {
        lock (_lock)
        {
            _pid = pid;
            Monitor.PulseAll(_lock);
        }
    }

    private static void Setup(Spec spec, int pid, int setupTid)
    {
        using var pidNs = OpenNamespace($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/pid");
        using var mntNs = OpenNamespace($"/proc/self/task/{setupTid.ToString(CultureInfo.InvariantCulture)}/ns/mnt");
        // With a user namespace of the container's own, its mount namespace is that namespace's: its
        // procfs instances are made here first, in ours (ProcMount.Create).
        Queue<OwnedFd>? premade = null;
        if (spec.Linux.Namespaces.Any(n => n.Type == "user"))
        {
            premade = new Queue<OwnedFd>(spec.Mounts.Where(m => m.Type == "proc").Select(m => ProcMount.Create(pidNs.Fd, MountOptions.Parse(m.Options).Flags)));
        }

        Sys.Unshare(LibC.CLONE_FS);
        Sys.Check(LibC.setns(mntNs.Fd, LibC.CLONE_NEWNS), "setns", "mount namespace");
        try
        {
            SetupSequence.KernelInterfaces(spec, new KernelSetupSteps(pidNs.Fd, premade), procDeferred: true);
        }
        finally
        {
            while (premade is { Count: > 0 })
            {
                premade.Dequeue().Dispose();
            }
        }

        PhaseTrace.Mark("spawn: proc and masks");
    }

    private static OwnedFd OpenNamespace(string path) =>
        OwnedFd.Check(LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0), "open", path);
}
