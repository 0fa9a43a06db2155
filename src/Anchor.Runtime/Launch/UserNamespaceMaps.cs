using System.Globalization;
using System.Text;
using Anchor.Oci.Runtime;

namespace Anchor.Runtime.Launch;

/// <summary>
/// The maps of a container's user namespace (--userns, --uidmap, --gidmap), as the spec holds them
/// (config-linux.md "User namespace mappings") and as /proc/PID/uid_map takes them: one
/// "inside outside count" line each (user_namespaces(7)).
/// </summary>
public sealed record UserNamespaceMaps(IReadOnlyList<SpecIdMapping> Uids, IReadOnlyList<SpecIdMapping> Gids)
{
    public string UidText => Text(Uids);

    public string GidText => Text(Gids);

    /// <summary>The spec's maps, or null when the spec makes no user namespace of its own.</summary>
    public static UserNamespaceMaps? Of(Spec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Linux.Namespaces.Any(n => n.Type == "user" && n.Path is null) && spec.Linux.UidMappings is { Count: > 0 } uids
            ? new UserNamespaceMaps(uids, spec.Linux.GidMappings is { Count: > 0 } gids ? gids : uids)
            : null;
    }

    /// <summary>The host id that an id inside maps to, or null when unmapped.</summary>
    public static uint? HostId(IReadOnlyList<SpecIdMapping> maps, uint inside)
    {
        ArgumentNullException.ThrowIfNull(maps);
        foreach (var map in maps)
        {
            if (inside >= map.ContainerId && inside - map.ContainerId < map.Size)
            {
                return map.HostId + (inside - map.ContainerId);
            }
        }

        return null;
    }

    private static string Text(IReadOnlyList<SpecIdMapping> maps)
    {
        var text = new StringBuilder();
        foreach (var map in maps)
        {
            text.Append(CultureInfo.InvariantCulture, $"{map.ContainerId} {map.HostId} {map.Size}\n");
        }

        return text.ToString();
    }
}
