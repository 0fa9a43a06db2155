using Anchor.Engine.Containers;
using Anchor.Engine.Run;
using Anchor.Linux;
using Anchor.Linux.Interop;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// <c>run</c> in the foreground: this process is the container's parent, as runc run is. The same
/// start core as create (<see cref="ContainerStart"/>), released at once; stdio is this process's
/// own (or a pty relayed to it, or sent to --console-socket), SIGINT/TERM/HUP/QUIT are forwarded,
/// the exit is reaped here and returned as this process's code, and the container is deleted
/// afterwards unless --keep.
/// </summary>
public static class OciRun
{
    public static int Run(OciRuntimeRoot root, string id, string bundleDirectory, string? pidFile, string? consoleSocket, bool keep)
    {
        ArgumentNullException.ThrowIfNull(root);
        OciRuntimeRoot.ValidateId(id);
        var bundle = OciBundle.Load(bundleDirectory, id);
        var spec = bundle.Spec;
        if (!spec.Process.Terminal && consoleSocket is not null)
        {
            throw new EngineException("cannot use console socket if runc will not detach or allocate tty", OciRuntimeRoot.ErrorExit);
        }

        // Held for the whole run: a run killed before it saved the state leaves a directory (and a
        // cgroup) that the next list, delete or create reclaims; never one that is still running.
        using var claim = root.Claim(id, bundle.CgroupPath);
        var operations = new OciOperations(root);
        var cgroup = OciCgroupPath.Manager(bundle.CgroupPath);
        var console = consoleSocket is null ? -1 : UnixSocket.Connect(Path.GetFullPath(consoleSocket));
        try
        {
            var stdio = spec.Process.Terminal
                ? new LaunchStdio(StdioKind.Terminal, KeepStdin: true) { TerminalReady = master => { if (console >= 0) { DescriptorPassing.Send(console, master, "/dev/ptmx"); } } }
                : new LaunchStdio(StdioKind.Inherit, KeepStdin: true);
            StartedContainer started;
            using (var start = ContainerStart.Begin(bundle.Directory, spec.Linux.Namespaces, cgroup, spec.Linux.Resources, stdio, LaunchContext.None))
            {
                start.Prepare(spec);
                started = start.Release(spec, pid =>
                {
                    bundle.Hooks.Run("prestart", id, pid, bundle.Directory, "creating", spec.Annotations);
                    bundle.Hooks.Run("createRuntime", id, pid, bundle.Directory, "creating", spec.Annotations);
                    root.Save(new OciContainerState
                    {
                        Id = id,
                        OciVersion = spec.OciVersion,
                        Pid = pid,
                        PidStartTime = ProcessLiveness.StartTime(pid) ?? 0,
                        Bundle = bundle.Directory,
                        Rootfs = spec.Root.Path,
                        Created = DateTimeOffset.UtcNow,
                        CgroupPath = bundle.CgroupPath,
                        Started = true,
                        Owner = "root",
                        Annotations = spec.Annotations,
                    });
                    OciPidFile.Write(pidFile, pid);
                });
            }

            using (started)
            {
                if (started.Failed)
                {
                    throw new EngineException(started.InitError!, OciRuntimeRoot.ErrorExit);
                }

                bundle.Hooks.Run("poststart", id, started.Pid, bundle.Directory, "running", spec.Annotations);
                int code;
                if (console >= 0)
                {
                    code = started.WaitForExit(); // the pty is the socket's receiver's to relay
                }
                else
                {
                    using var session = new ForegroundSession(started, attachStdin: spec.Process.Terminal);
                    code = session.Wait();
                }

                if (!keep)
                {
                    operations.Delete(id, force: true);
                }

                return code;
            }
        }
        catch
        {
            if (root.TryLoad(id) is null)
            {
                cgroup.Destroy();
                root.Remove(id);
            }
            else if (!keep)
            {
                operations.Delete(id, force: true);
            }

            throw;
        }
        finally
        {
            if (console >= 0)
            {
                LibC.close(console);
            }
        }
    }
}
