namespace Anchor.IntegrationTests;

/// <summary>
/// On cgroup v1, Linux 6.10 and later count blkio.throttle.io_service_bytes only on a disk whose
/// request queue has blk-throttle activated, which happens the first time any group sets a throttle
/// rule for that disk (block/blk-throttle.c, "delay initialization until configuration"); docker's
/// BLOCK I/O then reads zero too. A test that wants to see writes counted sets the rule "MAJ:MIN 0"
/// (0 means no limit, cgroup-v1/blkio-controller.rst) in the container's own group: nothing is limited,
/// the rule goes away with the group, and the queue counts from then on. v2's io.stat needs nothing.
/// </summary>
internal static class BlockThrottle
{
    /// <summary>False when the files under <paramref name="path"/> are not on a block device (tmpfs, btrfs subvolumes…).</summary>
    public static bool ActivateForContainer(string containerId, string path)
    {
        var disk = WholeDisk(path);
        if (disk is null)
        {
            return false;
        }

        var group = $"/sys/fs/cgroup/blkio/anchor/{containerId}";
        if (Directory.Exists(group))
        {
            File.WriteAllText(Path.Combine(group, "blkio.throttle.write_bps_device"), $"{disk} 0");
        }

        return true;
    }

    /// <summary>"MAJ:MIN" of the disk holding <paramref name="path"/>: its mount's device, or the disk a partition is on.</summary>
    private static string? WholeDisk(string path)
    {
        var full = Path.GetFullPath(path);
        string? device = null;
        var best = -1;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // "ID PARENT MAJ:MIN ROOT MOUNTPOINT ...": the longest mount point that contains the path wins.
            var fields = line.Split(' ');
            var mountPoint = fields[4].Replace("\\040", " ", StringComparison.Ordinal);
            var contains = full == mountPoint || full.StartsWith(mountPoint.TrimEnd('/') + "/", StringComparison.Ordinal);
            if (contains && mountPoint.Length >= best)
            {
                best = mountPoint.Length;
                device = fields[2];
            }
        }

        var sys = $"/sys/dev/block/{device}";
        if (device is null || !Directory.Exists(sys))
        {
            return null;
        }

        return File.Exists(Path.Combine(sys, "partition")) ? File.ReadAllText(Path.Combine(sys, "..", "dev")).Trim() : device;
    }
}
