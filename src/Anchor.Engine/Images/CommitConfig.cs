using Anchor.Engine.Containers;
using Anchor.Engine.Run;
using Anchor.Oci.Image;

namespace Anchor.Engine.Images;

/// <summary>
/// The config of an image made by <c>commit</c>, by docker's rule (moby daemon/commit.go): the
/// <c>--change</c> instructions are applied to an empty config, and every field they leave unset
/// is then taken from the container's own config (its Cmd, Entrypoint and Env as it ran, not the
/// image's): User, WorkingDir, StopSignal when empty; ExposedPorts, Volumes and Labels united;
/// Env gets the container's variables the changes did not set; Cmd and Entrypoint come from the
/// container only when no ENTRYPOINT was given (an ENTRYPOINT alone leaves Cmd empty, as docker's).
/// </summary>
public static class CommitConfig
{
    /// <summary>The container's config as docker keeps it: the image's, with the run options over it.</summary>
    public static ContainerConfig OfContainer(ContainerConfig image, ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(record);
        if (record.Options is not { } options)
        {
            return image;
        }

        return image with
        {
            Cmd = options.Command.Count > 0 ? options.Command : options.Entrypoint is null ? image.Cmd : null,
            Entrypoint = options.Entrypoint switch
            {
                null => image.Entrypoint,
                "" => null,
                var e => [e],
            },
            Env = EnvironmentList.Merge(image.Env ?? [], options.Env),
            User = options.User ?? image.User,
            WorkingDir = options.WorkingDir ?? image.WorkingDir,
            StopSignal = options.StopSignal ?? image.StopSignal,
            ExposedPorts = record.ExposedPorts.Count > 0 ? record.ExposedPorts.ToDictionary(p => p, _ => new EmptyObject(), StringComparer.Ordinal) : image.ExposedPorts,
        };
    }

    /// <summary>moby's merge(userConf, imageConf) with the container's config as imageConf.</summary>
    public static ContainerConfig Merge(ContainerConfig user, ContainerConfig container)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(container);
        var noEntrypoint = user.Entrypoint is not { Count: > 0 };
        return user with
        {
            User = string.IsNullOrEmpty(user.User) ? container.User : user.User,
            ExposedPorts = Union(container.ExposedPorts, user.ExposedPorts),
            Env = user.Env is not { Count: > 0 } ? container.Env : ApplyEnv(container.Env ?? [], user.Env),
            Labels = Union(container.Labels, user.Labels),
            Cmd = noEntrypoint && user.Cmd is not { Count: > 0 } ? container.Cmd : user.Cmd,
            Entrypoint = noEntrypoint && user.Entrypoint is null ? container.Entrypoint : user.Entrypoint,
            Healthcheck = user.Healthcheck ?? container.Healthcheck,
            WorkingDir = string.IsNullOrEmpty(user.WorkingDir) ? container.WorkingDir : user.WorkingDir,
            Volumes = Union(container.Volumes, user.Volumes),
            StopSignal = string.IsNullOrEmpty(user.StopSignal) ? container.StopSignal : user.StopSignal,
            Shell = user.Shell ?? container.Shell,
        };
    }

    /// <summary>
    /// docker's daemon applies the changes to the container's own config (daemon/commit.go
    /// BuildFromConfig on container.Config), so an ENV replaces its variable in place and a new
    /// one goes after the container's.
    /// </summary>
    private static List<string> ApplyEnv(IReadOnlyList<string> container, IReadOnlyList<string> changes)
    {
        var env = container.ToList();
        foreach (var change in changes)
        {
            var index = env.FindIndex(e => Key(e) == Key(change));
            if (index >= 0)
            {
                env[index] = change;
            }
            else
            {
                env.Add(change);
            }
        }

        return env;
    }

    private static string Key(string env) => env.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0 ? env[..eq] : env;

    private static Dictionary<string, T>? Union<T>(Dictionary<string, T>? under, Dictionary<string, T>? over)
    {
        if (under is null || over is null)
        {
            return over ?? under;
        }

        var result = new Dictionary<string, T>(under, StringComparer.Ordinal);
        foreach (var (key, value) in over)
        {
            result[key] = value;
        }

        return result;
    }
}
