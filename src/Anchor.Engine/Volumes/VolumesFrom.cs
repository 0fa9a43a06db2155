using Anchor.Engine.Containers;

namespace Anchor.Engine.Volumes;

/// <summary>
/// <c>--volumes-from CONTAINER[:ro|rw]</c> as docker's daemon applies it (volume/mounts parser's
/// ParseVolumesFrom, daemon registerMountPoints): every volume and bind of the other container, at
/// the same destination; read-only when either that mount is or <c>:ro</c> is given. The
/// container's own -v/--mount at the same destination win, and a later --volumes-from wins over an
/// earlier one. The volumes are shared, not copied into, and not this container's anonymous
/// volumes: its rm -v or --rm leaves them alone.
/// </summary>
public static class VolumesFrom
{
    /// <summary>Checks one value's syntax (the mode); returns it unchanged.</summary>
    public static string Validate(string value)
    {
        _ = Parse(value);
        return value;
    }

    /// <summary>
    /// The mounts the container asks for: those of every --volumes-from container whose
    /// destination the container does not mount itself, then its own.
    /// </summary>
    public static IReadOnlyList<MountSpec> Merge(ContainerStore containers, IReadOnlyList<string> volumesFrom, IReadOnlyList<MountSpec> own)
    {
        if (volumesFrom.Count == 0)
        {
            return own;
        }

        var inherited = new Dictionary<string, MountSpec>(StringComparer.Ordinal);
        foreach (var value in volumesFrom)
        {
            var (container, readOnly) = Parse(value);
            ContainerRecord source;
            try
            {
                source = containers.Find(container);
            }
            catch (EngineException e)
            {
                // The daemon's create looks the container up (moby daemon/volumes_unix.go
                // registerMountPoints): its error, exit 125 from run.
                throw EngineException.Daemon(e.Kind, e.Message);
            }

            foreach (var point in source.Mounts)
            {
                var mount = point.Type switch
                {
                    MountSpec.Volume when point.Name is not null => new MountSpec(MountSpec.Volume, point.Name, point.Destination, readOnly || !point.ReadWrite, [], NoCopy: true),
                    MountSpec.Bind => new MountSpec(MountSpec.Bind, point.Source, point.Destination, readOnly || !point.ReadWrite, []),
                    _ => null, // tmpfs: private to that container, nothing to share
                };
                if (mount is not null)
                {
                    inherited[mount.Target] = mount;
                }
            }
        }

        return [.. inherited.Values.Where(m => own.All(o => o.Target != m.Target)), .. own];
    }

    /// <summary>The container and whether :ro was given (docker's "invalid mode" for any other mode).</summary>
    private static (string Container, bool ReadOnly) Parse(string value)
    {
        if (value.Length == 0)
        {
            throw new EngineException("volumes-from specification cannot be an empty string");
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (value, false);
        }

        // volume/mounts ValidMountMode: at most one of ro/rw and one SELinux label (z, Z),
        // comma-separated; propagation and copy modes are refused for --volumes-from.
        var mode = value[(colon + 1)..];
        var parts = mode.Split(',');
        var access = parts.Where(p => p is "ro" or "rw").ToList();
        var labels = parts.Count(p => p is "z" or "Z");
        if (parts.Any(p => p is not ("ro" or "rw" or "z" or "Z")) || access.Count > 1 || labels > 1)
        {
            throw new EngineException($"invalid mode: {mode}");
        }

        return (value[..colon], access is ["ro"]);
    }
}
