using System.Globalization;
using System.Runtime.InteropServices;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Init;

namespace Anchor.Runtime.Launch;

/// <summary>
/// Starts a container's first process in new namespaces without forking managed code: a dedicated
/// thread unshares the namespaces, and the process is born from that thread (posix_spawn of the
/// command itself, or Process.Start of our own binary's <c>anchor init</c>; both vfork from the
/// calling thread), so it is in them and is PID 1 of the new pid namespace. The thread is then
/// dropped: it can create no more threads (see docs/linux-from-dotnet.md).
/// </summary>
public static class ContainerLauncher
{
    private static readonly Lazy<bool> WarmedUp = new(() =>
    {
        // A thread that joined a new pid namespace can no longer create threads (clone fails with
        // EINVAL): make .NET start its signal-handling thread now, on an ordinary thread.
        PosixSignalRegistration.Create(PosixSignal.SIGCONT, _ => { }).Dispose();
        // Where the native library is a separate file (JIT runs: the tests), load it while every
        // thread still sees the host's root: the spawn runs on a thread that has pivoted.
        Linux.Interop.AnchorNative.anchor_loaded();
        return true;
    });

    /// <summary>
    /// Creates the container's namespaces on a thread of its own and returns at once; the engine
    /// prepares the bundle meanwhile, then releases the container. Without a terminal or stdio
    /// pipes, on a kernel whose procfs takes "pidns", that thread sets the container up itself and
    /// spawns the command directly (<see cref="PendingSpawn"/>); otherwise it starts <c>anchor
    /// init</c>, which waits for the release before it reads the bundle (<see cref="PendingInit"/>).
    /// ANCHOR_INIT_STAGE=1 forces the init stage (the tests run both paths).
    /// </summary>
    /// <param name="meanwhile">Run on the namespace thread while it waits, unwaited (a warm-up).</param>
    /// <param name="userns">The maps of a user namespace of the container's own (a "user" namespace in
    /// <paramref name="namespaces"/>): only the direct spawn makes one (<see cref="UserNamespace"/>).</param>
    public static PendingContainer Spawn(string bundleDirectory, IEnumerable<SpecNamespace> namespaces, LaunchStdio stdio, LaunchContext context, Action? meanwhile = null, UserNamespaceMaps? userns = null)
    {
        ArgumentNullException.ThrowIfNull(stdio);
        ArgumentNullException.ThrowIfNull(context);
        var list = namespaces.ToList();
        var flags = NamespaceFlags(list);
        void Enter()
        {
            JoinPaths(list);
            Sys.Unshare(flags);
        }

        var direct = DirectSpawnPossible(flags, list);
        if ((flags & LibC.CLONE_NEWUSER) != 0)
        {
            // The init stage would have to make it in a forked child of its own; the direct spawn
            // (Linux 6.17) is the one path that does.
            if (!direct || userns is null)
            {
                throw new NotSupportedException("a user namespace needs the direct spawn (Linux 6.17 or later, without ANCHOR_INIT_STAGE) and its maps");
            }

            context.Prestart?.Take()?.Pending.Dispose();
            return NewUserNamespaceSpawn(context, list, flags, userns, stdio, meanwhile);
        }

        var prestarted = context.Prestart?.Take();
        if (prestarted is not null)
        {
            if (direct && prestarted.Flags == flags && list.All(n => n.Path is null))
            {
                prestarted.Pending.Adopt(stdio, context);
                return prestarted.Pending;
            }

            prestarted.Pending.Dispose(); // not what this container needs: its thread ends
        }

        if (direct)
        {
            return NewPendingSpawn(context, list, flags, stdio, meanwhile);
        }

        return SpawnStage(
            (syncRead, reportWrite) => new InitOptions(bundleDirectory, syncRead, reportWrite, stdio.KeepStdin, stdio.Quiet, context.SeccompCacheDirectory),
            Enter,
            stdio.Kind == StdioKind.Pipes || stdio.PipeOutput,
            stdio.Kind == StdioKind.Pipes && stdio.KeepStdin,
            meanwhile);
    }

    /// <summary>
    /// Creates the namespaces a container will most likely need before the command line is even
    /// parsed (`anchor run` with the default network): unsharing them, the network namespace above
    /// all, is the slowest kernel work of a start, and it then overlaps with the parse. The next
    /// <see cref="Spawn"/> given <paramref name="holder"/> adopts the thread if its namespaces
    /// match, and ends it otherwise.
    /// </summary>
    public static void Prestart(NamespacePrestart holder, IEnumerable<SpecNamespace> namespaces)
    {
        ArgumentNullException.ThrowIfNull(holder);
        var list = namespaces.ToList();
        var flags = NamespaceFlags(list);
        if (list.Any(n => n.Path is not null) || !DirectSpawnPossible(flags, list))
        {
            return;
        }

        var pending = NewPendingSpawn(LaunchContext.None, list, flags, new LaunchStdio(StdioKind.Inherit), meanwhile: null);
        holder.Offer(pending, flags);
    }

    /// <summary>The namespace thread of a direct spawn: joins and unshares, then does what needs no spec.</summary>
    private static PendingSpawn NewPendingSpawn(LaunchContext context, List<SpecNamespace> namespaces, int flags, LaunchStdio stdio, Action? meanwhile)
    {
        _ = WarmedUp.Value;
        return new PendingSpawn(context, () =>
        {
            PhaseTrace.Mark("ns: thread");
            JoinPaths(namespaces);
            Sys.Unshare(flags);
            PhaseTrace.Mark("ns: unshared");
            ThreadSetup.Early(flags);
        }, stdio, meanwhile);
    }

    /// <summary>
    /// The namespace thread of a container with a user namespace of its own: the user namespace is
    /// made first and the container's other new namespaces inside it, owned by it (runc's order:
    /// its capabilities then reach its own network, uts, ipc and mount namespaces); this thread joins
    /// those, and the spawned process joins the user namespace itself. Not the pid namespace (see below).
    /// </summary>
    private static PendingSpawn NewUserNamespaceSpawn(LaunchContext context, List<SpecNamespace> namespaces, int flags, UserNamespaceMaps maps, LaunchStdio stdio, Action? meanwhile)
    {
        _ = WarmedUp.Value;
        var holder = new UserNamespaceHolder { Maps = maps };
        return new PendingSpawn(context, () =>
        {
            JoinPaths(namespaces);
            var made = UserNamespace.Create(flags & ~LibC.CLONE_NEWUSER & ~LibC.CLONE_NEWPID, maps.UidText, maps.GidText);
            holder.Namespace = made;
            made.Enter();
            // The pid namespace is this thread's children's, owned by the host's user namespace:
            // one with no process yet cannot be opened to be joined (UserNamespace). Its owner
            // matters only to operations checked against it (ns_last_pid, a procfs mount from
            // inside), which docker's confinement refuses the container anyway.
            Sys.Unshare(flags & LibC.CLONE_NEWPID);
            PhaseTrace.Mark("ns: user namespace");
            ThreadSetup.Early(flags);
        }, stdio, meanwhile, holder);
    }

    /// <summary>
    /// The direct spawn needs its own mount namespace (its own root). Its /proc is mounted for the
    /// child's pid namespace, whichever that is: a new one, another container's (--pid
    /// container:NAME, joined by path) or the host's (--pid host: no pid namespace in the spec).
    /// </summary>
    private static bool DirectSpawnPossible(int flags, List<SpecNamespace> namespaces)
    {
        var pidNamespace = (flags & LibC.CLONE_NEWPID) != 0 || namespaces.Any(n => n.Type == "pid" && n.Path is not null) || namespaces.All(n => n.Type != "pid");
        return (flags & LibC.CLONE_NEWNS) != 0 && pidNamespace && Environment.GetEnvironmentVariable("ANCHOR_INIT_STAGE") != "1" && PendingSpawn.Supported;
    }

    /// <summary>
    /// Starts a process that joins the running container whose init is <paramref name="containerPid"/>
    /// (<c>anchor exec</c>): see <see cref="PendingJoin"/>. It waits at its gate until released.
    /// </summary>
    /// <param name="cgroup">The container's cgroup, whose v1 "tasks" files the child then joins by
    /// itself (<see cref="Cgroups.CgroupTasksFiles"/>); null, or v2: the release moves it.</param>
    public static PendingJoin Join(SpecProcess process, int containerPid, Spec containerSpec, LaunchContext context, LaunchStdio stdio, Cgroups.ICgroupManager? cgroup = null)
    {
        ArgumentNullException.ThrowIfNull(containerSpec);
        _ = WarmedUp.Value;
        // The container's own seccomp program and a session keyring of its own; its cgroup
        // namespace is joined, not made.
        var confinement = Security.ContainerConfinement.For(containerSpec, context) with { NewCgroupNamespace = false };
        return new PendingJoin(process, containerPid, confinement, stdio, cgroup is null ? null : Cgroups.CgroupTasksFiles.TryOpen(cgroup));
    }

    /// <summary>
    /// The handshake both hidden stages share: a sync pipe (launcher to child) and a report pipe
    /// (child to launcher), the child's ends inherited, then the spawn thread enters the namespaces
    /// and starts the stage; the parent's copies of the child's ends close once it has started.
    /// </summary>
    private static PendingInit SpawnStage(Func<int, int, InitOptions> options, Action enterNamespaces, bool pipes, bool pipeStdin, Action? meanwhile = null)
    {
        _ = WarmedUp.Value;
        var (syncRead, syncWrite) = Sys.Pipe();
        var (reportRead, reportWrite) = Sys.Pipe();
        try
        {
            Sys.SetInheritable(syncRead, true);
            Sys.SetInheritable(reportWrite, true);
        }
        catch
        {
            foreach (var fd in new[] { syncRead, syncWrite, reportRead, reportWrite })
            {
                LibC.close(fd);
            }

            throw;
        }

        var spawn = new SpawnThread(enterNamespaces, options(syncRead, reportWrite), pipes, pipeStdin, () =>
        {
            // The child has its copies now (or never will): the parent's ends go.
            LibC.close(syncRead);
            LibC.close(reportWrite);
        }, meanwhile);
        return new PendingInit(spawn, syncWrite, reportRead);
    }

    /// <summary>
    /// Joins the namespaces the spec gives by path (runtime-spec config-linux.md "path"), such as
    /// the network namespace of another container (--network container:NAME): setns(2) on the
    /// spawn thread, before the new ones are unshared, so init is born inside them.
    /// </summary>
    private static void JoinPaths(List<SpecNamespace> namespaces)
    {
        foreach (var ns in namespaces)
        {
            if (ns.Path is not { } path)
            {
                continue;
            }

            var type = ns.Type switch
            {
                "network" => LibC.CLONE_NEWNET,
                "ipc" => LibC.CLONE_NEWIPC,
                "uts" => LibC.CLONE_NEWUTS,
                // Only the children's pid namespace changes (setns(2)): the spawned process is born
                // in it, and this thread can make no more threads, as after unshare(CLONE_NEWPID).
                "pid" => LibC.CLONE_NEWPID,
                _ => throw new NotSupportedException($"joining a {ns.Type} namespace by path is not supported"),
            };
            var fd = LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
            Sys.Check(fd, "open", path);
            try
            {
                Sys.Check(LibC.setns(fd, type), "setns", path);
            }
            finally
            {
                LibC.close(fd);
            }
        }
    }

    private static int NamespaceFlags(IEnumerable<SpecNamespace> namespaces)
    {
        var flags = 0;
        foreach (var ns in namespaces)
        {
            if (ns.Path is not null)
            {
                continue; // joined by JoinPaths
            }

            flags |= ns.Type switch
            {
                "mount" => LibC.CLONE_NEWNS,
                "uts" => LibC.CLONE_NEWUTS,
                "ipc" => LibC.CLONE_NEWIPC,
                "network" => LibC.CLONE_NEWNET,
                "pid" => LibC.CLONE_NEWPID,
                // Never unshared (a multithreaded process cannot): the mark that makes the direct
                // spawn take NewUserNamespaceSpawn, and no prestarted thread fit.
                "user" => LibC.CLONE_NEWUSER,
                // Not unshared here: the exec tail unshares it once the process sits in its cgroup,
                // which becomes the namespace's root (cgroup_namespaces(7)).
                "cgroup" => 0,
                _ => throw new NotSupportedException($"namespace type {ns.Type} is not supported"),
            };
        }

        return flags;
    }
}
