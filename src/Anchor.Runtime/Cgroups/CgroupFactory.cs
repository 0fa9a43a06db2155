namespace Anchor.Runtime.Cgroups;

/// <summary>
/// Makes the manager for a container's cgroup, anchor/&lt;id&gt;, on the host's cgroup version.
/// (Named CgroupFactory, not Cgroups: a type named like its namespace could not be reached as
/// "Cgroups.Create" from code in Anchor.Runtime.)
/// </summary>
public static class CgroupFactory
{
    /// <summary>The parent group of all containers; it holds no processes itself (cgroup v2 requires it).</summary>
    public const string Parent = "anchor";

    /// <summary>The container's cgroup as the runtime spec's linux.cgroupsPath gives it: relative to each hierarchy's root.</summary>
    public static string SpecPath(string containerId, string? parent = null) => "/" + CgroupParent.GroupPath(containerId, parent);

    public static ICgroupManager Create(string containerId, string root = CgroupDetector.DefaultRoot, Action<string, string>? onWrite = null) =>
        Create(containerId, CgroupDetector.Detect(root), root, onWrite);

    public static ICgroupManager Create(string containerId, CgroupVersion version, string root, Action<string, string>? onWrite = null) =>
        Create(containerId, null, version, root, onWrite);

    /// <summary>The container's group under <paramref name="parent"/> (docker's --cgroup-parent), or under anchor/ when null.</summary>
    public static ICgroupManager ForContainer(string containerId, string? parent) =>
        Create(containerId, parent, CgroupDetector.Detect(CgroupDetector.DefaultRoot), CgroupDetector.DefaultRoot, null);

    public static ICgroupManager Create(string containerId, string? parent, CgroupVersion version, string root, Action<string, string>? onWrite = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        if (containerId.Contains('/', StringComparison.Ordinal) || containerId is "." or "..")
        {
            throw new ArgumentException($"not a valid cgroup name: {containerId}", nameof(containerId));
        }

        var relative = CgroupParent.GroupPath(containerId, parent);
        return version == CgroupVersion.V2
            ? new CgroupV2Manager(root, relative, onWrite)
            : new CgroupV1Manager(root, relative, onWrite);
    }
}
