namespace Anchor.Runtime.Cgroups;

/// <summary>
/// docker's --cgroup-parent: the group under which a container's own group is made, instead of
/// <see cref="CgroupFactory.Parent"/>. Absolute and relative paths both start at the root of each
/// hierarchy: docker puts a relative one under its daemon's own group, but Anchor has no daemon and
/// the group of whichever command creates the container holds that command itself, which on v2 may
/// not have children with controllers ("no internal process" rule); podman likewise takes a relative
/// parent from the init process's group, the root. A ".." segment is refused rather than cleaned
/// away (runc's CleanPath clamps it): the path is joined onto each hierarchy's directory, and a
/// path that climbs out of it would make directories outside cgroupfs.
/// </summary>
public static class CgroupParent
{
    /// <summary>The parent as a relative path without leading or trailing slashes ("" for "/"), or null when it is not acceptable.</summary>
    public static string? Normalize(string parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (parent.Length == 0 || parent.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var segments = parent.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        return segments.Contains("..") ? null : string.Join('/', segments);
    }

    /// <summary>The container's group relative to each hierarchy's root: PARENT/ID, or anchor/ID without a parent.</summary>
    public static string GroupPath(string containerId, string? parent)
    {
        if (parent is null)
        {
            return $"{CgroupFactory.Parent}/{containerId}";
        }

        var normalized = Normalize(parent) ?? throw new ArgumentException($"not a valid cgroup parent: {parent}", nameof(parent));
        return normalized.Length == 0 ? containerId : $"{normalized}/{containerId}";
    }
}
