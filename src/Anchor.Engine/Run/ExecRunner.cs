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
        if (record.Status != ContainerStatus.Running || record.Pid <= 0)
        {
            throw new EngineException($"container {record.Id} is not running", 1);
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

        using var pending = ContainerLauncher.Join(process, record.Pid, spec, paths.LaunchContext,
            new LaunchStdio(process.Terminal ? StdioKind.Terminal : StdioKind.Inherit, KeepStdin: options.Interactive && !options.Detach, Quiet: options.Detach));
        using var started = pending.Release(Resources.ContainerCgroup.Of(record));
        if (started.Failed)
        {
            started.WaitForExit();
            throw new EngineException(started.InitError!, started.InitErrorCode);
        }

        if (options.Detach)
        {
            return 0;
        }

        using var session = new ForegroundSession(started, options.Interactive);
        return session.Wait();
    }

    /// <summary>-u against the container's own files: its upper layer first, then the image's.</summary>
    private Oci.Runtime.SpecUser ResolveUser(ContainerRecord record, string user)
    {
        var layers = new List<string> { Path.Combine(paths.ContainerDirectory(record.Id), "upper") };
        if (images.Find(record.ImageId) is { } image)
        {
            layers.AddRange(images.LayerPaths(image));
        }

        return UserResolver.Resolve(user, layers).User;
    }
}
