using Anchor.Engine.Containers;
using Anchor.Oci.Runtime;

namespace Anchor.Engine.Volumes;

/// <summary>
/// Turns requested mounts (plus the image's VOLUME entries, which get anonymous volumes) into
/// the spec's bind and tmpfs mounts, creating and populating volumes as docker does.
/// </summary>
public sealed class MountResolver(VolumeStore volumes)
{
    public (List<SpecMount> Spec, List<MountPoint> Points) Resolve(
        IReadOnlyList<MountSpec> requested, IEnumerable<string> imageVolumes, IReadOnlyList<string> layersTopFirst)
    {
        var all = requested.ToList();
        foreach (var path in imageVolumes)
        {
            var target = path.Length > 1 ? path.TrimEnd('/') : path;
            if (all.All(m => m.Target != target))
            {
                all.Add(new MountSpec(MountSpec.Volume, null, target, false, []));
            }
        }

        var duplicate = all.GroupBy(m => m.Target).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new EngineException($"Duplicate mount point: {duplicate.Key}");
        }

        var spec = new List<SpecMount>();
        var points = new List<MountPoint>();
        foreach (var mount in all)
        {
            switch (mount.Type)
            {
                case MountSpec.Bind:
                    // -v creates a missing host directory, as docker does (--mount refused it earlier).
                    if (!Path.Exists(mount.Source))
                    {
                        Directory.CreateDirectory(mount.Source!);
                    }

                    spec.Add(BindMount(mount.Source!, mount.Target, mount.ReadOnly));
                    points.Add(new MountPoint(MountSpec.Bind, null, mount.Source!, mount.Target, !mount.ReadOnly));
                    break;
                case MountSpec.Volume:
                    var anonymous = mount.Source is null;
                    var name = mount.Source ?? ContainerId.New();
                    var (volume, created) = volumes.Ensure(name, anonymous);
                    if (!mount.NoCopy && (created || IsEmpty(volume.Mountpoint)))
                    {
                        LayeredCopy.Populate(layersTopFirst, mount.Target, volume.Mountpoint);
                    }

                    spec.Add(BindMount(volume.Mountpoint, mount.Target, mount.ReadOnly));
                    points.Add(new MountPoint(MountSpec.Volume, name, volume.Mountpoint, mount.Target, !mount.ReadOnly, anonymous));
                    break;
                default:
                    List<string> options = ["nosuid", "nodev", "noexec", .. mount.TmpfsOptions];
                    if (mount.ReadOnly)
                    {
                        options.Add("ro");
                    }

                    spec.Add(new SpecMount { Destination = mount.Target, Type = "tmpfs", Source = "tmpfs", Options = options });
                    points.Add(new MountPoint(MountSpec.Tmpfs, null, "", mount.Target, !mount.ReadOnly));
                    break;
            }
        }

        return (spec, points);
    }

    private static SpecMount BindMount(string source, string target, bool readOnly) => new()
    {
        Destination = target,
        Type = "bind",
        Source = source,
        Options = readOnly ? ["rbind", "rprivate", "ro"] : ["rbind", "rprivate"],
    };

    private static bool IsEmpty(string dir) => !Directory.EnumerateFileSystemEntries(dir).Any();
}
