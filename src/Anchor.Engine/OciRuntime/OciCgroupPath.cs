using Anchor.Runtime.Cgroups;

namespace Anchor.Engine.OciRuntime;

/// <summary>
/// linux.cgroupsPath (config-linux.md "Cgroups path") as a path relative to each hierarchy's root.
/// Empty: runc's default, the container's ID at the root. The systemd form "slice:prefix:name"
/// (containerd with SystemdCgroup, CRI-O's default) is mapped onto cgroupfs as systemd would lay it
/// out (systemd.slice(5): "a-b.slice" lives in "a.slice/a-b.slice"; the unit is prefix-name.scope),
/// since this host has no systemd to ask for a scope.
/// </summary>
public static class OciCgroupPath
{
    public static string Resolve(string? cgroupsPath, string id)
    {
        if (string.IsNullOrEmpty(cgroupsPath))
        {
            return id;
        }

        var parts = cgroupsPath.Split(':');
        if (parts.Length == 3 && !cgroupsPath.Contains('/', StringComparison.Ordinal))
        {
            var slice = parts[0].Length == 0 ? "system.slice" : parts[0];
            var unit = parts[1].Length == 0 ? parts[2] : $"{parts[1]}-{parts[2]}";
            return CgroupParent.Normalize($"{ExpandSlice(slice)}/{(unit.EndsWith(".slice", StringComparison.Ordinal) ? unit : unit + ".scope")}")
                ?? throw new EngineException($"invalid cgroup path {cgroupsPath}", OciRuntimeRoot.ErrorExit);
        }

        return CgroupParent.Normalize(cgroupsPath) is { Length: > 0 } normalized
            ? normalized
            : throw new EngineException($"invalid cgroup path {cgroupsPath}", OciRuntimeRoot.ErrorExit);
    }

    public static ICgroupManager Manager(string relative)
    {
        var slash = relative.LastIndexOf('/');
        return slash < 0
            ? CgroupFactory.ForContainer(relative, "/")
            : CgroupFactory.ForContainer(relative[(slash + 1)..], relative[..slash]);
    }

    private static string ExpandSlice(string slice)
    {
        if (slice == "-.slice")
        {
            return "";
        }

        var name = slice.EndsWith(".slice", StringComparison.Ordinal) ? slice[..^".slice".Length] : slice;
        var segments = name.Split('-');
        var path = new List<string>();
        for (var i = 1; i <= segments.Length; i++)
        {
            path.Add(string.Join('-', segments[..i]) + ".slice");
        }

        return string.Join('/', path);
    }
}
