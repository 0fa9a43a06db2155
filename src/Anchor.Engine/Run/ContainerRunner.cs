using Anchor.Engine.Containers;
using Anchor.Engine.State;
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
    /// <summary>The caller's namespace thread started ahead of this run (the CLI's, made before the parse), or null.</summary>
    public Runtime.Launch.NamespacePrestart? Prestart { get; init; }

    public int Run(RunOptions options)
    {
        PhaseTrace.Mark("run: start");
        RequireRoot();
        // docker keeps the log of every container but a --rm one: `logs NAME` after a plain run shows its output.
        var logConfig = Logs.LogConfig.Parse(options.LogDriver, options.LogOpts);
        var keepsLog = !options.Remove && logConfig.Keeps;
        // --cidfile: refused before anything is made when the file exists (docker's order).
        using var cidFile = CidFile.Reserve(options.CidFile);
        var id = ContainerId.New();
        // The directory exists, locked, before anything else of the container: see ContainerSweeper.
        using var claim = ContainerClaim.Take(paths, id);
        PhaseTrace.Mark("run: claimed");
        // none and host need no lease, veth or rule: skip the network store on that path entirely.
        var networks = options.Network is NetworkMode.None or NetworkMode.Host ? null : Networks.NetworkAttachments.For(paths, containers);

        // The container's namespaces are made now, on a thread of their own that then waits for the
        // spec (or on the init stage's start-up), and its cgroup on another: that overlaps with
        // everything below. Disposing it unreleased (any failure: the finally below) leaves no
        // process, namespace or cgroup.
        var start = ContainerStart.Begin(paths, containers, id, NamespaceModes.For(options), options, SpecFactory.Resources(options),
            LaunchStdio.Of(options.Tty, pipes: false, options.Interactive) with
            {
                // -a without stdout or stderr: that stream is not the user's (docker sends it to the log only).
                DropStdout = !AttachStreams.AttachesStdout(options),
                DropStderr = !AttachStreams.AttachesStderr(options),
                PipeOutput = keepsLog && !options.Tty,
            }, prestart: Prestart);
        var cgroup = start.Cgroup;
        ContainerRecord? record = null;
        var recordIsCurrent = false;
        BackgroundWork? specWriting = null;
        BackgroundWork? marking = null;
        BackgroundWork? cgroupRemoval = null;
        var exitCode = ExitCodes.EngineError;
        string? failure = null;
        // docker's create (before) and start (from the network's attachment on): its CLI adds
        // the usage hint to failures of the create only.
        var starting = false;
        var (failureKind, failureFromDaemon) = (EngineErrorKind.Internal, false);
        try
        {
            PhaseTrace.Mark("run: start begun");
            var image = preparer.ResolveImage(options);
            PhaseTrace.Mark("run: image resolved");
            Oci.Runtime.Spec spec;
            if (ContainerPreparer.BundleNeedsNoRecord(options, image))
            {
                // The container's filesystem is mounted on the namespace thread while the record
                // and config.json are written; a name clash still stops it before it runs.
                spec = preparer.BuildBundle(options, image, id, files => start.MountRootEarly(image.LayersTopFirst, files, options.Remove));
                start.Prepare(spec);
                PhaseTrace.Mark("run: prepared");
                record = preparer.Reserve(options, id, image, ContainerClaim.Self());
                PhaseTrace.Mark("run: record created");
                // Reserve wrote the record as it stays until the start: the cleanup need not read it back.
                recordIsCurrent = true;
                // Written while the namespace thread mounts; joined before the record says running
                // (and before the release: an init stage reads it then).
                var written = spec;
                specWriting = BackgroundWork.Start(() => preparer.WriteSpec(options, id, written), "anchor-spec");
            }
            else
            {
                record = preparer.Reserve(options, id, image, ContainerClaim.Self());
                PhaseTrace.Mark("run: record created");
                spec = preparer.WriteBundle(options, image, id);
                // The bundle recorded the container's volumes (Mounts): every later write of this
                // record (running, exited) keeps them, and --rm finds its anonymous volumes to remove.
                record = containers.Get(id) ?? record;
                start.Prepare(spec);
            }

            cidFile.Write(id);

            // Leases and host ports, then the veths, addresses, routes and port rules, all while the
            // init waits: its command never sees a half-configured network (docs/architecture.md, Networks).
            starting = true;
            if (networks is not null)
            {
                start.Attach(networks, id, networks.Allocate(id));
            }

            record = record with { Command = InitProcess.UserCommand(spec.Process.Args), Health = Health.HealthMonitor.AtStart(record) };
            // Recorded as running from the moment the pid is known, on a thread of its own: the
            // process does not wait for the write, and config.json comes first, so whoever sees
            // the record say running (exec) finds the bundle whole.
            var startedAt = DateTimeOffset.UtcNow;
            var created = record;
            var writing = specWriting;
            if (start.ReadsBundle)
            {
                specWriting?.Wait(); // the init stage reads config.json at the release
            }

            using var log = keepsLog ? new Monitor.JsonLogWriter(Monitor.ContainerMonitor.LogPath(paths, id), logConfig) : null;
            using var started = start.Release(spec, pid =>
                marking = BackgroundWork.Start(() =>
                {
                    writing?.Wait();
                    containers.Update(created with { Status = ContainerStatus.Running, Pid = pid, StartedAt = startedAt }, durable: false);
                    // Set up: rm, stop and start may act on it now (they waited for this lock).
                    claim.Dispose();
                    // docker run's events; written while the container already runs, off its path.
                    Events.EventLog.Emit(paths, [Events.EventLog.Container(created, "create"), Events.EventLog.Container(created, "attach"), .. Events.EventLog.Started(created)]);
                }, "anchor-record"));
            PhaseTrace.Mark("run: started");
            // Copied and logged from the first instant (the stdout and stderr pipes), or tapped from the pty below.
            var output = log is not null && !started.Failed && started.PtyMaster < 0
                ? ForegroundOutput.Start(Attach.ContainerStdio.Of(started, openStdin: false), log, AttachStreams.AttachesStdout(options), AttachStreams.AttachesStderr(options))
                : null;
            record = record with { Status = ContainerStatus.Running, Pid = started.Pid, StartedAt = startedAt };
            if (started.Failed)
            {
                started.WaitForExit();
                exitCode = started.InitErrorCode;
                failure = OciRuntimeError.CreateText(started.InitError!);
                (failureKind, failureFromDaemon) = (EngineErrorKind.Internal, true);
            }
            else
            {
                // docker checks every running container: a foreground one is checked by this
                // process, its parent, as the monitor checks a detached one.
                Health.HealthMonitor? health = null;
                if (Health.HealthMonitor.Configured(record))
                {
                    marking?.Wait();
                    health = Health.HealthMonitor.Start(paths, containers, record, started.Pid, startedAt, spec);
                }

                using (var session = new ForegroundSession(started, options.Interactive, log is not null && started.PtyMaster >= 0 ? (b, n) => log.Append("stdout", b.AsSpan(0, n)) : null, options.SigProxy))
                {
                    exitCode = session.Wait();
                }

                output?.Finish(TimeSpan.FromSeconds(5));
                log?.Flush("stdout");

                record = record with { Health = health?.Stop() };
            }

            PhaseTrace.Mark("run: exited");
            // Read before the group goes; the group goes on another thread (its rmdirs, one per v1
            // hierarchy, are the largest part of the cleanup) while this one writes the events and
            // removes or updates the record: after the exit nothing else competes for the cores.
            var oomKilled = cgroup.OomKilled();
            cgroupRemoval = StartRemoval(cgroup);
            // After the start's events (the thread that writes them has ended), before destroy.
            marking?.WaitQuietly();
            Events.EventLog.Emit(paths, Events.EventLog.Died(record, exitCode));
            if (!options.Remove)
            {
                // The exit is recorded after the start, never before it. With --rm the record goes
                // instead, under the lock that Update takes too (it writes nothing once it is gone).
                marking?.Wait();
            }

            record = record with
            {
                Status = ContainerStatus.Exited,
                ExitCode = exitCode,
                OomKilled = oomKilled,
                FinishedAt = DateTimeOffset.UtcNow,
                Pid = 0,
            };
        }
        catch (Exception e)
        {
            failure = ErrorText.Of(e);
            exitCode = e is EngineException engine ? engine.ExitCode : ExitCodes.EngineError;
            starting |= e is EngineException { StartFailure: true };
            (failureKind, failureFromDaemon) = e is EngineException classified ? (classified.Kind, classified.FromDaemon) : (EngineErrorKind.Internal, false);
        }
        finally
        {
            start.Dispose();
            // A bundle write racing with the removal could recreate the directory: it ends first.
            specWriting?.WaitQuietly();
            if (!options.Remove)
            {
                marking?.WaitQuietly();
            }

            PhaseTrace.Mark("run: cleanup start");
            if (cgroupRemoval is null)
            {
                cgroup.Destroy();
                PhaseTrace.Mark("run: cgroup destroyed");
            }

            try
            {
                networks?.Release(id);
                // A container that never ran leaves nothing behind, as if it had never been created.
                if (record is null || options.Remove || record.Status != ContainerStatus.Exited)
                {
                    new Volumes.VolumeService(new Volumes.VolumeStore(paths), containers).DeleteContainer(id, current: recordIsCurrent ? record : null);
                }
                else
                {
                    containers.Update(record);
                }
            }
            finally
            {
                // The group is gone before `run` returns, as before: nothing of the container outlives it.
                WaitForRemoval(cgroupRemoval, id, options.CgroupParent);

                PhaseTrace.Mark("run: cgroup destroyed");
            }
        }

        PhaseTrace.Mark("run: cleaned up");
        if (failure is not null)
        {
            throw new EngineException(failure, exitCode) { StartFailure = starting, Kind = failureKind, FromDaemon = failureFromDaemon };
        }

        return exitCode;
    }

    /// <summary>
    /// Waits for the group's removal. It ran in parallel with the directory's: a group that could
    /// not be removed is left to the sweeper with a directory of its own (else nothing would ever
    /// find it again), and the failure is reported.
    /// </summary>
    private void WaitForRemoval(BackgroundWork? removal, string id, string? parent)
    {
        try
        {
            removal?.Wait();
        }
        catch (Exception e) when (e is CgroupException or IOException)
        {
            Resources.ContainerCgroup.LeaveForSweeper(paths, id, parent);
            throw;
        }
    }

    /// <summary>Destroys the group on a thread of its own, or returns null (the caller destroys it) when no thread can start.</summary>
    private static BackgroundWork? StartRemoval(ICgroupManager cgroup)
    {
        try
        {
            return BackgroundWork.Start(cgroup.Destroy, "anchor-cgroup");
        }
        catch (Exception e) when (e is OutOfMemoryException or LinuxException)
        {
            return null;
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
