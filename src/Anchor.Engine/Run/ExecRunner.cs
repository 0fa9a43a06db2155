using System.Text.Json;
using Anchor.Engine.Containers;
using Anchor.Images;
using Anchor.Linux;
using Anchor.Oci;
using Anchor.Runtime;
using Anchor.Runtime.Cgroups;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.Run;

/// <summary>
/// <c>anchor exec</c>: a new process in every namespace and the cgroup of a running container,
/// with the container's environment, user, capabilities and working directory unless overridden.
/// </summary>
public sealed class ExecRunner(AnchorPaths paths, ContainerStore containers, ImageStore images)
{
    public int Exec(ExecOptions options)
    {
        var stdio = new LaunchStdio(options.Tty && !options.Detach ? StdioKind.Terminal : StdioKind.Inherit, KeepStdin: options.Interactive && !options.Detach, Quiet: options.Detach);
        using var exec = Start(options, stdio, ContainerId.New());
        if (options.Detach)
        {
            return 0;
        }

        using var session = new ForegroundSession(exec.Process, options.Interactive);
        var exitCode = exec.Wait();
        session.DrainOutput();
        return exitCode;
    }

    /// <summary>
    /// Starts the exec process with <paramref name="stdio"/> (the CLI's own streams, or pipes and a
    /// pty the API server relays) and returns it running; a failed start throws docker's OCI error.
    /// </summary>
    /// <param name="execId">The exec's ID in its events (the API server's exec instance ID).</param>
    public ExecSession Start(ExecOptions options, LaunchStdio stdio, string execId)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stdio);
        var record = Active(options.Container);
        var spec = new Bundle(paths.ContainerDirectory(record.Id)).Read();
        var process = spec.Process with
        {
            Args = options.Command.Count > 0 ? options.Command : throw new EngineException("exec: no command specified"),
            Env = EnvironmentList.Merge(spec.Process.Env, options.Tty ? ["TERM=xterm"] : [], options.Env),
            Cwd = options.WorkingDir ?? spec.Process.Cwd,
            Terminal = stdio.Kind == StdioKind.Terminal,
            User = options.User is null ? spec.Process.User : ResolveUser(record, options.User),
        };

        // docker's exec events carry the command in the action and the exec's ID as execID; moby's
        // daemon/exec.go writes the entrypoint, a space, then the arguments joined by spaces, so a
        // command without arguments ends in a space ("exec_create: true ").
        var command = process.Args[0] + " " + string.Join(' ', process.Args.Skip(1));
        Events.EventLog.Emit(paths, Events.EventLog.Container(record, "exec_create: " + command, ("execID", execId)));
        var cgroup = Resources.ContainerCgroup.Of(record);
        var pending = ContainerLauncher.Join(process, record.Pid, spec, paths.LaunchContext, stdio, cgroup);
        StartedContainer started;
        try
        {
            started = pending.Release(cgroup);
        }
        catch
        {
            pending.Dispose();
            throw;
        }

        var exec = new ExecSession(paths, record, execId, pending, started);
        if (started.Failed)
        {
            started.WaitForExit();
            exec.Dispose();
            // docker's exec start failure: runc's error through containerd, written to the
            // client, and exit code 126 for every failed exec start (moby daemon/exec.go
            // ContainerExecStart sets 126 whatever translateContainerdStartErr chose).
            throw OciRuntimeError.Exec(started.InitError!);
        }

        Events.EventLog.Emit(paths, Events.EventLog.Container(record, "exec_start: " + command, ("execID", execId)));
        return exec;
    }

    /// <summary>The running container an exec goes into (an exec's creation checks it too).</summary>
    public ContainerRecord Active(string container)
    {
        var record = ProcessLiveness.Refresh(containers.Find(container));
        // moby daemon/exec.go getActiveContainer: errNotRunning names the ID, errExecPaused the
        // name as the user gave it; both are conflicts, which docker's CLI exits 1 for.
        if (record.Status == ContainerStatus.Paused)
        {
            throw EngineException.Daemon(EngineErrorKind.Conflict, $"Container {container} is paused, unpause the container before exec", 1);
        }

        if (record.Status != ContainerStatus.Running || record.Pid <= 0)
        {
            throw EngineException.Daemon(EngineErrorKind.Conflict, $"Container {record.Id} is not running", 1);
        }

        return record;
    }

    /// <summary>-u against the container's own files: its upper layer first, then the image's.</summary>
    private Oci.Runtime.SpecUser ResolveUser(ContainerRecord record, string user)
    {
        var layers = new List<string> { Path.Combine(paths.ContainerDirectory(record.Id), "upper") };
        if (images.Find(record.ImageId) is { } image)
        {
            layers.AddRange(images.LayerPaths(image));
        }

        try
        {
            // docker's exec -u keeps the container's --group-add (daemon/exec getUser).
            return UserResolver.Resolve(user, layers, record.Options?.GroupAdd).User;
        }
        catch (EngineException e)
        {
            // runc resolves -u inside the container: docker reports it as a failed exec start.
            throw OciRuntimeError.Exec(e.Message);
        }
    }
}
