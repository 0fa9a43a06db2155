namespace Anchor.Runtime.Cgroups;

/// <summary>Which cgroup interface the host exposes at the cgroup root.</summary>
public enum CgroupVersion
{
    /// <summary>One hierarchy per controller (Documentation/admin-guide/cgroup-v1/cgroups.rst).</summary>
    V1 = 1,

    /// <summary>The unified hierarchy (Documentation/admin-guide/cgroup-v2.rst).</summary>
    V2 = 2,
}
