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
        var record = ProcessLiveness.Refresh(containers.Find(options.Container));
        // moby daemon/exec.go getActiveContainer: errNotRunning names the ID, errExecPaused the
        // name as the user gave it; both are conflicts, which docker's CLI exits 1 for.
        if (record.Status == ContainerStatus.Paused)
        {
            throw EngineException.Daemon(EngineErrorKind.Conflict, $"Container {options.Container} is paused, unpause the container before exec", 1);
        }

        if (record.Status != ContainerStatus.Running || record.Pid <= 0)
        {
            throw EngineException.Daemon(EngineErrorKind.Conflict, $"Container {record.Id} is not running", 1);
        }

        var spec = new Bundle(paths.ContainerDirectory(record.Id)).Read();
        var process = spec.Process with
        {
            Args = options.Command.Count > 0 ? options.Command : throw new EngineException("exec: no command specified"),
            Env = EnvironmentList.Merge(spec.Process.Env, options.Tty ? ["TERM=xterm"] : [], options.Env),
            Cwd = options.WorkingDir ?? spec.Process.Cwd,
            Terminal = options.Tty && !options.Detach,
            User = options.User is null ? spec.Process.User : ResolveUser(record, options.User),
        };

        // docker's exec events carry the command in the action and the exec's ID as execID; moby's
        // daemon/exec.go writes the entrypoint, a space, then the arguments joined by spaces, so a
        // command without arguments ends in a space ("exec_create: true ").
        var execId = ContainerId.New();
        var command = process.Args[0] + " " + string.Join(' ', process.Args.Skip(1));
        Events.EventLog.Emit(paths, Events.EventLog.Container(record, "exec_create: " + command, ("execID", execId)));
        var cgroup = Resources.ContainerCgroup.Of(record);
        using var pending = ContainerLauncher.Join(process, record.Pid, spec, paths.LaunchContext,
            new LaunchStdio(process.Terminal ? StdioKind.Terminal : StdioKind.Inherit, KeepStdin: options.Interactive && !options.Detach, Quiet: options.Detach), cgroup);
        using var started = pending.Release(cgroup);
        if (started.Failed)
        {
            started.WaitForExit();
            // docker's exec start failure: runc's error through containerd, written to the
            // client, and exit code 126 for every failed exec start (moby daemon/exec.go
            // ContainerExecStart sets 126 whatever translateContainerdStartErr chose).
            throw OciRuntimeError.Exec(started.InitError!);
        }

        Events.EventLog.Emit(paths, Events.EventLog.Container(record, "exec_start: " + command, ("execID", execId)));
        if (options.Detach)
        {
            return 0;
        }

        using var session = new ForegroundSession(started, options.Interactive);
        var exitCode = session.Wait();
        Events.EventLog.Emit(paths, Events.EventLog.Container(record, "exec_die", ("execID", execId), ("exitCode", exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        return exitCode;
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
