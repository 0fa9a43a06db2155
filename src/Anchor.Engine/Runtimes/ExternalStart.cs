using System.Globalization;
using Anchor.Engine.Containers;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime;
using Anchor.Runtime.Init;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.Runtimes;

/// <summary>
/// One start of a container by an external OCI runtime (<c>run --runtime runc</c>), in the
/// monitor, which keeps its role (stdio, log, attach, exit, restarts) as conmon does for podman's
/// runtimes. Anchor writes an OCI bundle, <c>containers/ID/runtime/config.json</c>: the container's
/// spec without Anchor's own root entry (the overlay as a "/" mount), the namespaces resolved
/// (--network/--ipc/--pid container:NAME become paths). The overlay is mounted at the spec's root
/// in a mount namespace private to one thread of the monitor, from which the runtime's
/// <c>create</c> is spawned: the container's mount namespace is made as a copy of that one, and
/// nothing is ever mounted on the host (docs/architecture.md). Then, as containerd's shim:
/// create with the stdio pipes (runc hands them on to the process unchanged), the network
/// attached to the created process, start. The monitor is a child subreaper (prctl(2)
/// PR_SET_CHILD_SUBREAPER), so the container's process, orphaned when create exits, becomes its
/// child, reaped and waited for as a directly spawned one.
/// </summary>
public static class ExternalStart
{
    private const int PR_SET_CHILD_SUBREAPER = 36;

    public static StartedContainer Start(AnchorPaths paths, ContainerStore containers, string id, Spec spec, Run.RunOptions options, Action<int> created)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(created);
        var runtime = RuntimeProgram.For(paths, options, id);
        var bundle = Path.Combine(paths.ContainerDirectory(id), "runtime");
        Directory.CreateDirectory(bundle);
        var rootMount = spec.Mounts.FirstOrDefault(m => m.Destination == "/");
        var namespaces = Run.JoinedNamespaces.Resolve(Run.NetworkNamespaces.Resolve(spec.Linux.Namespaces, options, containers), options, containers);
        new Bundle(bundle).Write(spec with
        {
            Mounts = [.. spec.Mounts.Where(m => m.Destination != "/")],
            Linux = spec.Linux with { Namespaces = [.. namespaces] },
        }, durable: false);

        // A restart, or a start after a killed monitor, finds the runtime's record of the last one.
        _ = runtime.Run(["delete", "--force", id]);
        Sys.Check(LibC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl", "PR_SET_CHILD_SUBREAPER");

        var pidFile = Path.Combine(bundle, "pid");
        File.Delete(pidFile);
        if (spec.Process.Terminal)
        {
            return StartWithTerminal(paths, runtime, id, spec.Root.Path, rootMount, bundle, pidFile, created);
        }

        (OwnedFd? stdinRead, OwnedFd? stdinWrite) = options.Interactive ? OwnedFd.Pipe() : (null, null);
        var (stdoutRead, stdoutWrite) = OwnedFd.Pipe();
        var (stderrRead, stderrWrite) = OwnedFd.Pipe();
        var pipes = new ContainerPipes(stdinWrite, stdoutRead, stderrRead);
        try
        {
            using (stdinRead)
            using (stdoutWrite)
            using (stderrWrite)
            {
                var (code, error) = CreateInPrivateRoot(spec.Root.Path, rootMount, () => runtime.Run(
                    ["create", "--bundle", bundle, "--pid-file", pidFile, id],
                    stdinRead?.Fd ?? -1, stdoutWrite.Fd, stderrWrite.Fd));
                if (code != 0)
                {
                    throw CreateFailed(error!);
                }
            }

            return new StartedContainer(Release(runtime, id, pidFile, created), null, -1, 0, null, pipes);
        }
        catch
        {
            pipes.Dispose();
            throw;
        }
    }

    /// <summary>
    /// -t: the runtime opens the pty in the container and sends its master over a console socket
    /// (runc's --console-socket protocol, SCM_RIGHTS) before create returns; the connection waits
    /// in the listener's backlog, so it is taken after create. The master is the container's
    /// stdio for the monitor, as with Anchor's own runtime.
    /// </summary>
    private static unsafe StartedContainer StartWithTerminal(AnchorPaths paths, RuntimeProgram runtime, string id, string root, SpecMount? rootMount, string bundle, string pidFile, Action<int> created)
    {
        // runc connects by the path itself: a short one (sun_path holds 107 bytes), private to root.
        var socketPath = Path.Combine(paths.RunRoot, $"console-{id[..12]}.sock");
        using var listener = new OwnedFd(UnixSocket.Listen(socketPath, 0x180)); // 0600
        var master = -1;
        try
        {
            var (code, error) = CreateInPrivateRoot(root, rootMount, () => runtime.Run(["create", "--bundle", bundle, "--pid-file", pidFile, "--console-socket", socketPath, id]));
            File.Delete(socketPath);
            if (code != 0)
            {
                throw CreateFailed(error!);
            }

            var connection = LibC.accept4(listener.Fd, null, null, LibC.SOCK_CLOEXEC | LibC.SOCK_NONBLOCK);
            Sys.Check(connection, "accept4", socketPath);
            using (new OwnedFd(connection))
            {
                UnixSocket.SetNonBlocking(connection, nonBlocking: false);
                master = DescriptorPassing.Receive(connection);
            }

            return new StartedContainer(Release(runtime, id, pidFile, created), null, master, 0, null);
        }
        catch
        {
            File.Delete(socketPath);
            if (master >= 0)
            {
                LibC.close(master);
            }

            throw;
        }
    }

    /// <summary>The created process: the network attached to it (the caller's), then start; on failure the runtime forgets it.</summary>
    private static int Release(RuntimeProgram runtime, string id, string pidFile, Action<int> created)
    {
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        try
        {
            created(pid);
            runtime.Must(["start", id]);
            return pid;
        }
        catch
        {
            _ = runtime.Run(["delete", "--force", id]);
            Sys.Reap(pid, block: true);
            throw;
        }
    }

    /// <summary>moby daemon/start.go passes containerd's words on, the runtime's message inside.</summary>
    private static EngineException CreateFailed(string error) =>
        new($"failed to create shim task: OCI runtime create failed: {error}: unknown", ExitCodeOf(error))
        {
            Kind = EngineErrorKind.Internal,
            FromDaemon = true,
            StartFailure = true,
        };

    /// <summary>After the exit: the runtime forgets the container (its state, its cgroup).</summary>
    public static void Delete(AnchorPaths paths, string id, Run.RunOptions options) =>
        _ = RuntimeProgram.For(paths, options, id).Run(["delete", "--force", id]);

    /// <summary>docker's CLI: 127 for a command not found, 126 when it cannot be run, else 125.</summary>
    private static int ExitCodeOf(string error) =>
        error.Contains("executable file not found", StringComparison.Ordinal) || error.Contains("no such file or directory", StringComparison.Ordinal)
            ? ExitCodes.NotFound
            : error.Contains("permission denied", StringComparison.Ordinal) ? ExitCodes.CannotInvoke : ExitCodes.EngineError;

    /// <summary>Runs <paramref name="create"/> on a thread whose own mount namespace has the container's root mounted.</summary>
    private static (int, string?) CreateInPrivateRoot(string root, SpecMount? rootMount, Func<(int, string?)> create)
    {
        (int, string?) result = (ExitCodes.EngineError, "the runtime was not started");
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Sys.Unshare(LibC.CLONE_NEWNS); // Implies CLONE_FS: only this thread changes namespace.
                RootfsSetup.MakePrivate();
                KernelSetupSteps.Instance.MountRoot(root, rootMount);
                result = create();
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            Name = "anchor-runtime",
        };
        thread.Start();
        thread.Join(); // The namespace goes with the thread; the container's is a copy of it.
        return failure is null ? result : throw EngineException.Daemon(EngineErrorKind.Internal, $"mounting the container's filesystem: {ErrorText.Of(failure)}", 1);
    }
}
