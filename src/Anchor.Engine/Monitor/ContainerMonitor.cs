using System.Runtime.InteropServices;
using Anchor.Engine.Attach;
using Anchor.Engine.Containers;
using Anchor.Engine.Run;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Runtime;
using Anchor.Runtime.Cgroups;
using Anchor.Runtime.Init;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.Monitor;

/// <summary>
/// conmon's role for a detached container: the parent of its init, in a session of its own so it
/// outlives the CLI that started it. It owns the container's stdio (pipes or the pty master),
/// writes the json-file log, serves the attach socket (<see cref="AttachServer"/>), reaps the process, records exit code, OOM and times, applies the
/// restart policy, and undoes the cgroup (and with --rm the whole container) at the end.
/// The first start's outcome goes back to the CLI on the ready pipe: <see cref="MonitorReport"/>.
/// </summary>
public sealed class ContainerMonitor(AnchorPaths paths, ContainerStore containers)
{
    public int Run(MonitorOptions options)
    {
        var id = options.Id;
        var readyFd = options.ReadyFd;
        var directory = paths.ContainerDirectory(id);
        var spec = new Bundle(directory).Read();
        PhaseTrace.Mark("monitor: spec read");
        var record = containers.Get(id) ?? throw new EngineException($"No such container: {id}");
        PhaseTrace.Mark("monitor: record read");
        var runOptions = record.Options ?? new Run.RunOptions { Image = record.Image };
        using var log = new JsonLogWriter(LogPath(paths, id), Logs.LogConfig.Parse(runOptions.LogDriver, runOptions.LogOpts));
        using var attach = OpenAttach(id, options.AttachFd, ref readyFd);
        if (attach is null)
        {
            return ExitCodes.EngineError;
        }

        PhaseTrace.Mark("monitor: log and attach open");
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            StartedContainer started;
            ICgroupManager cgroup;
            try
            {
                if (runOptions.RuntimePath is not null)
                {
                    // --runtime: an external OCI runtime makes the process; the monitor's role is unchanged.
                    cgroup = Resources.ContainerCgroup.Of(record);
                    var attachments = Networks.NetworkAttachments.For(paths, containers);
                    started = Runtimes.ExternalStart.Start(paths, containers, id, spec, runOptions, pid =>
                    {
                        if (attachments.Endpoints(id) is { Count: > 0 } endpoints)
                        {
                            attachments.Attach(id, pid, endpoints);
                        }
                    });
                }
                else
                {
                    using var start = ContainerStart.Begin(paths, containers, id, spec.Linux.Namespaces, runOptions, spec.Linux.Resources,
                        LaunchStdio.Of(spec.Process.Terminal, pipes: true, runOptions.Interactive));
                    cgroup = start.Cgroup;
                    start.Prepare(spec);
                    // The leases were taken by start (and are kept across restarts); each new process
                    // gets its veths before it is released.
                    var networks = Networks.NetworkAttachments.For(paths, containers);
                    start.Attach(networks, id, networks.Endpoints(id));
                    started = start.Release(spec);
                }
            }
            catch (Exception e)
            {
                Finish(id, ExitCodes.EngineError, ErrorText.Of(e), oomKilled: false);
                Ready(ref readyFd, MonitorReport.Failure(e));
                return ExitCodes.EngineError;
            }

            using (started)
            {
                if (started.Failed)
                {
                    started.WaitForExit();
                    cgroup.Destroy();
                    Finish(id, started.InitErrorCode, started.InitError, oomKilled: false);
                    Ready(ref readyFd, MonitorReport.Failure(started.InitErrorCode, OciRuntimeError.CreateText(started.InitError!), EngineErrorKind.Internal, fromDaemon: true));
                    return started.InitErrorCode;
                }

                // The relay polls the output from the first instant: a process that writes to
                // stdout and stderr by turns wakes it at each write, so the log keeps their order.
                // It runs on this thread, so between the monitor's own start-up steps it takes one
                // round each (Pump): what was written meanwhile is logged in the order it was read.
                using var relay = attach.Relay(ContainerStdio.Of(started, runOptions.Interactive), log);
                relay.Pump();
                var running = containers.Modify(id, r => r with
                {
                    Status = ContainerStatus.Running,
                    Pid = started.Pid,
                    StartedAt = DateTimeOffset.UtcNow,
                    MonitorPid = Environment.ProcessId,
                    Command = InitProcess.UserCommand(spec.Process.Args),
                    Error = null,
                    Health = Health.HealthMonitor.AtStart(r),
                }, durable: false);
                if (running is null)
                {
                    // Removed while this (re)start was under way: nothing may run on without a record.
                    MonitorRecordCheck.UndoOrphanStart(paths, containers, id, started, cgroup);
                    relay.Run(exitFd: -1, TimeSpan.FromSeconds(5));
                    Ready(ref readyFd, MonitorReport.Failure(1, $"No such container: {id}", EngineErrorKind.NotFound));
                    return 0;
                }

                relay.Pump();
                PhaseTrace.Mark("monitor: running");
                Ready(ref readyFd, MonitorReport.Ok);
                Events.EventLog.Emit(paths, Events.EventLog.Started(running));
                // The handler runs on .NET's signal thread, which the launcher has started already
                // (ContainerLauncher's warm-up): no thread more.
                using var forward = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
                {
                    c.Cancel = true;
                    LibC.kill(started.Pid, 15);
                });
                // Before the health thread starts: the trim needs no other thread running managed code.
                MonitorMemory.Trim();
                var health = Health.HealthMonitor.Start(paths, containers, running, started.Pid, running.StartedAt ?? DateTimeOffset.UtcNow, spec);
                // The pidfd (pidfd_open(2)) polls readable once the process has exited; the zombie
                // stays until StartedContainer reaps it, so the pid cannot be reused meanwhile.
                var exited = LibC.pidfd_open(started.Pid);
                if (exited < 0)
                {
                    throw LinuxException.FromLastError("pidfd_open");
                }

                try
                {
                    relay.Run(exited, TimeSpan.FromSeconds(5));
                }
                finally
                {
                    LibC.close(exited);
                }

                var exitCode = started.WaitForExit();
                health?.Stop();

                var oom = cgroup.OomKilled();
                cgroup.Destroy();
                if (runOptions.RuntimePath is not null)
                {
                    Runtimes.ExternalStart.Delete(paths, id, runOptions);
                }
                var after = containers.Get(id);
                // The monitor is the only witness of a detached container's end: it reports die.
                Events.EventLog.Emit(paths, Events.EventLog.Died(after ?? running, exitCode));
                // The record's policy, not the first start's: docker update --restart may have changed it.
                if (after is not null && (after.Options ?? runOptions).Restart.ShouldRestart(exitCode, after.RestartCount, after.StoppedByUser))
                {
                    containers.Modify(id, r => r with
                    {
                        Status = ContainerStatus.Restarting,
                        ExitCode = exitCode,
                        OomKilled = oom,
                        FinishedAt = DateTimeOffset.UtcNow,
                        Pid = 0,
                        RestartCount = r.RestartCount + 1,
                    });
                    attach.Finish(exitCode);
                    // docker's back-off: 100 ms, doubling, at most a minute.
                    Thread.Sleep(delay);
                    delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 60_000));
                    if (MonitorRecordCheck.MayRestart(containers, id))
                    {
                        // docker update may have changed the limits since: the bundle holds them.
                        spec = new Bundle(directory).Read();
                        continue;
                    }

                    // Stopped or removed during the back-off.
                    Finish(id, exitCode, null, oom);
                    return 0;
                }

                Finish(id, exitCode, null, oom);
                // Clients hear the exit code once the record says exited, so what they run next sees it.
                attach.Finish(exitCode);
                if (record.AutoRemove)
                {
                    new Volumes.VolumeService(new Volumes.VolumeStore(paths), containers).DeleteContainer(id);
                }

                return 0;
            }
        }
    }

    public static string LogPath(AnchorPaths paths, string id) => Path.Combine(paths.ContainerDirectory(id), $"{id}-json.log");

    private void Finish(string id, int exitCode, string? error, bool oomKilled)
    {
        // The leases go with the run; a restart keeps them (Finish is not called between restarts).
        Networks.NetworkAttachments.For(paths, containers).Release(id);
        containers.Modify(id, r => r with
        {
            Status = ContainerStatus.Exited,
            ExitCode = exitCode,
            Error = error,
            OomKilled = oomKilled,
            FinishedAt = DateTimeOffset.UtcNow,
            Pid = 0,
            MonitorPid = 0,
        });
    }

    /// <summary>The attach socket exists (mode 0600) before the CLI hears "ok"; null when it cannot be made.</summary>
    private AttachServer? OpenAttach(string id, int attachFd, ref int readyFd)
    {
        try
        {
            var server = AttachServer.Open(paths.AttachSocket(id));
            if (attachFd >= 0)
            {
                server.Adopt(attachFd);
            }

            return server;
        }
        catch (Exception e) when (e is LinuxException or IOException or UnauthorizedAccessException)
        {
            var message = $"cannot create the attach socket: {ErrorText.Of(e)}";
            Finish(id, ExitCodes.EngineError, message, oomKilled: false);
            Ready(ref readyFd, MonitorReport.Failure(ExitCodes.EngineError, message));
            return null;
        }
    }

    /// <summary>Tells the waiting CLI how the first start went, once.</summary>
    private static void Ready(ref int fd, string message)
    {
        if (fd < 0)
        {
            return;
        }

        try
        {
            InitChannel.SendLine(fd, message);
        }
        catch (LinuxException)
        {
            // The CLI went away; the record tells the story.
        }

        LibC.close(fd);
        fd = -1;
    }
}
