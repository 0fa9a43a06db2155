using System.Globalization;
using Anchor.Engine.Run;
using Anchor.Oci.Runtime;
using Anchor.Runtime.Launch;

namespace Anchor.Engine.Userns;

/// <summary>
/// --userns, --uidmap and --gidmap (podman's run flags; docker takes only --userns=host, against a
/// daemon-wide userns-remap): whether a container gets a user namespace of its own and with which
/// maps. "auto[:size=N]" takes a fresh range of host ids (<see cref="UserNamespaceRanges"/>),
/// N ids (65536 by default) from container id 0; --uidmap/--gidmap give the maps outright
/// (several flags, one line each; --gidmap defaults to the uid maps, as podman's does).
/// The host's pid, ipc, uts and network namespaces and --privileged are refused with it, with
/// docker's words for userns-remap (moby daemon/daemon_unix.go verifyPlatformContainerSettings):
/// their owner is the host's user namespace, where the container's root has no capability.
/// </summary>
public static class UserNamespaceSettings
{
    /// <summary>The checked --userns value: null (the host's), "host", "auto" or "auto:size=N".</summary>
    public static string? ParseMode(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value is "host" or "auto")
        {
            return value;
        }

        const string sized = "auto:size=";
        return value.StartsWith(sized, StringComparison.Ordinal) && uint.TryParse(value[sized.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0
            ? value
            : throw new EngineException($"--userns: invalid USER mode: {value}");
    }

    /// <summary>One --uidmap or --gidmap value: CONTAINER:HOST:SIZE, SIZE above 0, neither end past 2^32-1.</summary>
    public static SpecIdMapping ParseMapping(string flag, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var fields = value.Split(':');
        if (fields.Length == 3
            && uint.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var inside)
            && uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var outside)
            && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            && size > 0 && (ulong)inside + size <= uint.MaxValue && (ulong)outside + size <= uint.MaxValue)
        {
            return new SpecIdMapping { ContainerId = inside, HostId = outside, Size = size };
        }

        throw new EngineException($"invalid argument \"{value}\" for \"{flag}\" flag: want CONTAINER:HOST:SIZE (unsigned ids, SIZE > 0)");
    }

    /// <summary>Whether the options make a user namespace of the container's own.</summary>
    public static bool Wanted(RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UsernsMode is { } mode && mode.StartsWith("auto", StringComparison.Ordinal) || options.UidMaps.Count > 0 || options.GidMaps.Count > 0;
    }

    /// <summary>The checks of create: the flags together, and with the host's namespaces.</summary>
    public static void Check(RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var maps = options.UidMaps.Count > 0 || options.GidMaps.Count > 0;
        if (maps && options.UsernsMode is not null)
        {
            throw new EngineException($"--userns={options.UsernsMode} and --uidmap/--gidmap cannot be combined");
        }

        if (options.GidMaps.Count > 0 && options.UidMaps.Count == 0)
        {
            throw new EngineException("--gidmap needs --uidmap");
        }

        foreach (var map in options.UidMaps)
        {
            ParseMapping("--uidmap", map);
        }

        foreach (var map in options.GidMaps)
        {
            ParseMapping("--gidmap", map);
        }

        if (!Wanted(options))
        {
            return;
        }

        string? refusal = options switch
        {
            { Privileged: true } => "privileged mode is incompatible with user namespaces.  You must run the container in the host namespace when running privileged mode",
            { Network: NetworkMode.Host } => "cannot share the host's network namespace when user namespaces are enabled",
            { PidMode: "host" } => "cannot share the host PID namespace when user namespaces are enabled",
            { IpcMode: "host" } => "cannot share the host's IPC namespace when user namespaces are enabled",
            { UtsMode: "host" } => "cannot share the host's UTS namespace when user namespaces are enabled",
            _ => null,
        };
        if (refusal is not null)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, refusal);
        }
    }

    /// <summary>The container's maps (allocating its auto range on first use), or null without a user namespace.</summary>
    public static UserNamespaceMaps? Maps(AnchorPaths paths, string containerId, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        if (!Wanted(options))
        {
            return null;
        }

        if (options.UidMaps.Count > 0)
        {
            var uids = options.UidMaps.Select(m => ParseMapping("--uidmap", m)).ToList();
            var gids = options.GidMaps.Count > 0 ? options.GidMaps.Select(m => ParseMapping("--gidmap", m)).ToList() : uids;
            return new UserNamespaceMaps(uids, gids);
        }

        var size = options.UsernsMode!.Length > "auto:size=".Length ? uint.Parse(options.UsernsMode["auto:size=".Length..], CultureInfo.InvariantCulture) : UserNamespaceRanges.DefaultSize;
        var (uid, gid, got) = new UserNamespaceRanges(paths).Allocate(containerId, size);
        return new UserNamespaceMaps(
            [new SpecIdMapping { ContainerId = 0, HostId = uid, Size = got }],
            [new SpecIdMapping { ContainerId = 0, HostId = gid, Size = got }]);
    }

    /// <summary>
    /// The spec with the maps, and /dev (a tmpfs the launcher mounts as host root) owned by the
    /// container's root, as runc's mount inside the user namespace gives it; the container's own
    /// /etc/hosts, /etc/hostname and /etc/resolv.conf too (docker's userns-remap chowns them to the
    /// remapped root: container root edits them as without a user namespace).
    /// </summary>
    /// <param name="ownFiles">The container's generated files (not a --network container: donor's).</param>
    public static Spec Apply(Spec spec, UserNamespaceMaps? maps, IEnumerable<string> ownFiles)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(ownFiles);
        if (maps is null)
        {
            return spec;
        }

        var uid = UserNamespaceMaps.HostId(maps.Uids, 0);
        var gid = UserNamespaceMaps.HostId(maps.Gids, 0);
        if (uid is not null && gid is not null)
        {
            var own = ownFiles.ToHashSet(StringComparer.Ordinal);
            foreach (var mount in spec.Mounts.Where(m => m.Type == "bind" && m.Source is not null && own.Contains(m.Source) && File.Exists(m.Source)))
            {
                Linux.Sys.Lchown(mount.Source!, uid.Value, gid.Value);
            }
        }

        var mounts = spec.Mounts.Select(m => m is { Destination: "/dev", Type: "tmpfs" } && uid is not null && gid is not null
            ? m with { Options = [.. m.Options, $"uid={uid}", $"gid={gid}"] }
            : m).ToList();
        return spec with
        {
            Mounts = mounts,
            Linux = spec.Linux with { UidMappings = maps.Uids, GidMappings = maps.Gids },
        };
    }
}
