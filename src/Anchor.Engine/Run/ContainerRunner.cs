using Anchor.Engine.Containers;
using Anchor.Images;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Runtime;
using Anchor.Runtime.Cgroups;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.Run;

/// <summary>
/// <c>anchor run</c> in the foreground: resolve the image, record the container, prepare its
/// directory, cgroup and bundle, launch it, relay until it exits, then undo every step in reverse
/// order. Any failure half-way undoes what was done (nothing is left: no cgroup, no directory).
/// </summary>
public sealed class ContainerRunner(AnchorPaths paths, ContainerPreparer preparer, ContainerStore containers)
{
    public int Run(RunOptions options)
    {
        PhaseTrace.Mark("run: start");
        RequireRoot();
        CgroupWarmup.Start();
        var id = ContainerId.New();
        var networks = Networks.NetworkAttachments.For(paths, containers);

        // The init stage starts now, in its namespaces, and waits: its runtime start-up overlaps
        // with everything below. Disposing it unreleased (any failure) kills it.
        var namespaces = NetworkNamespaces.Resolve(SpecFactory.Namespaces(options.Network), options, containers);
        using var pending = ContainerLauncher.Spawn(paths.ContainerDirectory(id), namespaces, options.Interactive);

        // The cgroup depends only on the options: it is made on the other core while the image resolves.
        var cgroup = CgroupFactory.Create(id);
        var cgroupReady = Task.Run(() => cgroup.Create(SpecFactory.Resources(options)));
        ContainerRecord? record = null;
        var exitCode = ExitCodes.EngineError;
        string? failure = null;
        try
        {
            var image = preparer.ResolveImage(options);
            PhaseTrace.Mark("run: image resolved");
            record = preparer.Reserve(options, id, image);
            PhaseTrace.Mark("run: record created");
            var spec = preparer.WriteBundle(options, image, id, cgroup.Path);
            // Leases and host ports, then the veths, addresses, routes and port rules, all while the
            // init waits: its command never sees a half-configured network (docs/architecture.md, Networks).
            var endpoints = networks.Allocate(id);
            PhaseTrace.Mark("run: network allocated");
            if (endpoints.Count > 0)
            {
                networks.Attach(id, pending.Pid, endpoints);
                PhaseTrace.Mark("run: network attached");
            }

            cgroupReady.Wait();
            PhaseTrace.Mark("run: bundle written");

            record = record with { Command = spec.Process.Args };
            using var started = pending.Release(cgroup, spec.Process.Terminal);
            PhaseTrace.Mark("run: started");
            record = record with { Status = ContainerStatus.Running, Pid = started.Pid, StartedAt = DateTimeOffset.UtcNow };
            containers.Update(record, durable: false);
            PhaseTrace.Mark("run: marked running");
            if (started.Failed)
            {
                started.WaitForExit();
                exitCode = started.InitErrorCode;
                failure = started.InitError;
            }
            else
            {
                using var session = new ForegroundSession(started, options.Interactive);
                exitCode = session.Wait();
            }

            PhaseTrace.Mark("run: exited");
            record = record with
            {
                Status = ContainerStatus.Exited,
                ExitCode = exitCode,
                OomKilled = cgroup.OomKilled(),
                FinishedAt = DateTimeOffset.UtcNow,
                Pid = 0,
            };
        }
        catch (Exception e)
        {
            failure = (e as AggregateException)?.InnerException?.Message ?? e.Message;
            exitCode = e is EngineException engine ? engine.ExitCode : ExitCodes.EngineError;
        }
        finally
        {
            pending.Dispose();
            WaitQuietly(cgroupReady);
            PhaseTrace.Mark("run: cleanup start");
            cgroup.Destroy();
            PhaseTrace.Mark("run: cgroup destroyed");
            networks.Release(id);
            PhaseTrace.Mark("run: network released");
            // A container that never ran leaves nothing behind, as if it had never been created.
            if (record is null || options.Remove || record.Status != ContainerStatus.Exited)
            {
                new Volumes.VolumeService(new Volumes.VolumeStore(paths), containers).DeleteContainer(id);
            }
            else
            {
                containers.Update(record);
            }
        }

        PhaseTrace.Mark("run: cleaned up");
        if (failure is not null)
        {
            throw new EngineException(failure, exitCode);
        }

        return exitCode;
    }

    private static void WaitQuietly(Task task)
    {
        try
        {
            task.Wait();
        }
        catch (AggregateException)
        {
            // The main path reported it (cgroupReady.Wait() threw); only the undo matters here.
        }
    }

    private static void RequireRoot()
    {
        if (LibC.geteuid() != 0)
        {
            throw new EngineException("anchor needs root privileges to run containers (try sudo)");
        }
    }

}
