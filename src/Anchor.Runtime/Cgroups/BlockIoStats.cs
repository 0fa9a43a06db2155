using System.Globalization;

namespace Anchor.Runtime.Cgroups;

/// <summary>
/// Bytes read from and written to block devices by a cgroup (docker stats' BLOCK I/O), summed over
/// every device listed, as docker sums the IoServiceBytesRecursive entries it gets from runc.
/// </summary>
public static class BlockIoStats
{
    /// <summary>
    /// v1 blkio "io_service_bytes" files (Documentation/admin-guide/cgroup-v1/blkio-controller.rst):
    /// "MAJ:MIN Op Bytes" per line, Op one of Read, Write, Sync, Async, Discard, Total, and a last
    /// "Total Bytes" line. Null when no device line is present: the policy has no data (e.g. the
    /// bfq.* files on a disk not scheduled by BFQ), and the caller tries the next file.
    /// </summary>
    public static (long Read, long Written)? ParseV1ServiceBytes(string? content)
    {
        long read = 0, written = 0;
        var devices = false;
        foreach (var line in (content ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3 || !fields[0].Contains(':', StringComparison.Ordinal) ||
                !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
            {
                continue;
            }

            devices = true;
            if (fields[1].Equals("Read", StringComparison.OrdinalIgnoreCase))
            {
                read += bytes;
            }
            else if (fields[1].Equals("Write", StringComparison.OrdinalIgnoreCase))
            {
                written += bytes;
            }
        }

        return devices ? (read, written) : null;
    }

    /// <summary>
    /// v2 io.stat (Documentation/admin-guide/cgroup-v2.rst "io.stat"): a nested-keyed file, one line
    /// per device, "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N"; other keys are skipped.
    /// </summary>
    public static (long Read, long Written) ParseV2IoStat(string? content)
    {
        long read = 0, written = 0;
        foreach (var line in (content ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                var eq = field.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0 || !long.TryParse(field.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    continue;
                }

                switch (field[..eq])
                {
                    case "rbytes":
                        read += value;
                        break;
                    case "wbytes":
                        written += value;
                        break;
                }
            }
        }

        return (read, written);
    }
}
