using System.Globalization;
using System.Text;
using Anchor.Engine.Run;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// The hidden <c>anchor oci-holder</c> stage behind <c>anchor oci create</c>: it runs the one start
/// core (<see cref="ContainerStart"/>) up to the gate, so that the container's first process exists
/// in its namespaces, cgroup and pivoted root but has run nothing of its own, reports that pid to
/// create, and waits on ROOT/ID/start.sock for <c>start</c> (runc's exec.fifo). Then it releases the
/// process, answers start and exits: the container is re-parented to the caller's subreaper (the
/// shim of containerd or CRI-O) or to init, which reaps it, as with runc. Without a terminal the
/// process's stdio is the holder's, which is create's own, unmodified; with one the pty master goes
/// to --console-socket and the holder's stdio to /dev/null, so that create's caller, which reads
/// create's output to its end, is not kept waiting by it.
/// </summary>
public static class OciHolder
{
    public const string StageName = "oci-holder";

    /// <summary>anchor oci-holder ROOT ID BUNDLE READY_FD CONSOLE_SOCKET|-</summary>
    public static IReadOnlyList<string> Arguments(string root, string id, string bundle, int readyFd, string? consoleSocket) =>
        [StageName, root, id, bundle, readyFd.ToString(CultureInfo.InvariantCulture), consoleSocket ?? "-"];

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length != 6 || !int.TryParse(args[4], NumberStyles.None, CultureInfo.InvariantCulture, out var readyFd))
        {
            return OciRuntimeRoot.ErrorExit;
        }

        var root = new OciRuntimeRoot(args[1]);
        var id = args[2];
        using var ready = new OwnedFd(readyFd);
        // Held before anything is made, for this process's life: no list, delete or create takes
        // the directory (and kills what is in its cgroup) while this holder is at work; it cleans
        // up by itself when its create dies. Gone already: a reclaimer took it after create died.
        using var claim = DirectoryLock.AcquireShared(root.ContainerDirectory(id));
        if (claim is null)
        {
            Report(ready, "error container directory removed before its holder started");
            return OciRuntimeRoot.ErrorExit;
        }

        var reported = false;
        int startConnection = -1;
        try
        {
            var bundle = OciBundle.Load(args[3], id);
            var spec = bundle.Spec;
            var console = -1;
            if (spec.Process.Terminal)
            {
                if (args[5] != "-")
                {
                    console = UnixSocket.Connect(args[5]);
                }

                DetachStdio();
            }

            var stdio = spec.Process.Terminal
                ? new LaunchStdio(StdioKind.Terminal) { TerminalReady = master => SendConsole(console, master) }
                : new LaunchStdio(StdioKind.Inherit, KeepStdin: true);
            var listener = new OwnedFd(UnixSocket.Listen(root.StartSocket(id), 0x180)); // 0600
            using (listener)
            using (var start = ContainerStart.Begin(bundle.Directory, spec.Linux.Namespaces, OciCgroupPath.Manager(bundle.CgroupPath), spec.Linux.Resources, stdio, LaunchContext.None))
            {
                start.Prepare(spec);
                var started = start.Release(spec, pid =>
                {
                    bundle.Hooks.Run("prestart", id, pid, bundle.Directory, "creating", spec.Annotations);
                    bundle.Hooks.Run("createRuntime", id, pid, bundle.Directory, "creating", spec.Annotations);
                    Report(ready, $"ok {pid.ToString(CultureInfo.InvariantCulture)}");
                    reported = true;
                    startConnection = WaitForStart(listener.Fd, pid, ready.Fd, () => root.TryLoad(id) is not null);
                });
                if (console >= 0)
                {
                    LibC.close(console);
                }

                if (started.Failed)
                {
                    // A failed release leaves the group to its caller: undone here, as create
                    // (which does the same when alive) may be dead (the failure was its death).
                    started.WaitForExit();
                    start.Cgroup.Destroy();
                    throw new EngineException(started.InitError!, OciRuntimeRoot.ErrorExit);
                }

                // The process is released: from here it is the state's, not this process's. Its
                // exit is reaped by whoever inherits it when this process ends (never here).
                if (root.TryLoad(id) is { } state)
                {
                    root.Save(state with { Started = true });
                }

                bundle.Hooks.Run("poststart", id, started.Pid, bundle.Directory, "running", spec.Annotations);
            }

            LibC.unlink(root.StartSocket(id));
            Reply(startConnection, "ok");
            return 0;
        }
        catch (Exception e)
        {
            var message = ErrorText.Of(e);
            LibC.unlink(root.StartSocket(id));
            if (reported && root.TryLoad(id) is null)
            {
                // Its create died before recording the container (or is undoing it): nobody else
                // knows this directory is done with. The process and cgroup went with the start.
                root.Remove(id);
            }

            if (!reported)
            {
                Report(ready, "error " + message);
            }
            else if (startConnection >= 0)
            {
                Reply(startConnection, "error " + message);
            }

            return OciRuntimeRoot.ErrorExit;
        }
    }

    /// <summary>
    /// Blocks until start connects (returns the connection, its request read), the waiting
    /// process dies (killed while created), or create dies before it recorded the container (the
    /// write end of the report pipe polls POLLERR once no reader is left; create keeps its end
    /// until the state is saved): then it throws, and the release ends the process at its gate.
    /// </summary>
    private static unsafe int WaitForStart(int listener, int pid, int ready, Func<bool> recorded)
    {
        using var pidfd = new OwnedFd(LibC.pidfd_open(pid));
        var fds = stackalloc LibC.Pollfd[3];
        var creator = ready;
        for (;;)
        {
            fds[0] = new LibC.Pollfd { fd = listener, events = LibC.POLLIN };
            // A negative descriptor is skipped by poll(2).
            fds[1] = new LibC.Pollfd { fd = pidfd.Fd, events = LibC.POLLIN };
            fds[2] = new LibC.Pollfd { fd = creator, events = 0 };
            var n = LibC.poll(fds, 3, -1);
            if (n < 0 && Sys.LastErrno == LibC.EINTR)
            {
                continue;
            }

            Sys.Check(n, "poll");
            if (fds[1].revents != 0 && pidfd.Fd >= 0)
            {
                throw new EngineException("container init exited before start", OciRuntimeRoot.ErrorExit);
            }

            if (fds[2].revents != 0)
            {
                if (!recorded())
                {
                    throw new EngineException("create ended before it recorded the container", OciRuntimeRoot.ErrorExit);
                }

                creator = -1;
            }

            if (fds[0].revents == 0)
            {
                continue;
            }

            var connection = LibC.accept4(listener, null, null, LibC.SOCK_CLOEXEC);
            if (connection < 0)
            {
                continue;
            }

            byte request;
            if (LibC.recv(connection, &request, 1, 0) == 1)
            {
                return connection;
            }

            LibC.close(connection);
        }
    }

    private static void SendConsole(int socket, int master)
    {
        if (socket >= 0)
        {
            DescriptorPassing.Send(socket, master, "/dev/ptmx");
        }
    }

    /// <summary>/dev/null on 0-2 (a terminal container's stdio is its pty, not create's).</summary>
    private static void DetachStdio()
    {
        var devNull = LibC.open("/dev/null", LibC.O_RDWR, 0);
        if (devNull < 0)
        {
            return;
        }

        for (var fd = 0; fd <= 2; fd++)
        {
            LibC.dup2(devNull, fd);
        }

        LibC.close(devNull);
    }

    private static void Report(OwnedFd ready, string line)
    {
        try
        {
            Sys.WriteAll(ready.Fd, Encoding.UTF8.GetBytes(line.ReplaceLineEndings(" ") + "\n"));
        }
        catch (LinuxException)
        {
            // create is gone: nobody to tell.
        }
    }

    private static unsafe void Reply(int connection, string line)
    {
        if (connection < 0)
        {
            return;
        }

        try
        {
            Sys.WriteAll(connection, Encoding.UTF8.GetBytes(line.ReplaceLineEndings(" ") + "\n"));
        }
        catch (LinuxException)
        {
            // start is gone.
        }
        finally
        {
            LibC.close(connection);
        }
    }
}
