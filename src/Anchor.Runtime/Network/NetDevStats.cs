using System.Globalization;

namespace Anchor.Runtime.Network;

/// <summary>
/// Bytes received and transmitted by a container's interfaces (docker stats' NET I/O), from
/// /proc/PID/net/dev, which shows the network namespace of PID (proc(5) "/proc/pid/net"). Loopback is
/// left out: docker sums the statistics of the container's network endpoints, and lo is none of them,
/// so a --network none container shows 0B / 0B.
/// </summary>
public static class NetDevStats
{
    /// <summary>The counters of <paramref name="pid"/>'s namespace; zero when the process is gone.</summary>
    public static (long Received, long Transmitted) Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/net/dev"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (0, 0);
        }
    }

    /// <summary>
    /// Two header lines, then "IFACE: rx_bytes rx_packets rx_errs rx_drop rx_fifo rx_frame rx_compressed
    /// rx_multicast tx_bytes tx_packets …" (net/core/net-procfs.c dev_seq_printf_stats).
    /// </summary>
    public static (long Received, long Transmitted) Parse(string content)
    {
        long received = 0, transmitted = 0;
        foreach (var line in content.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // The name may touch the counters ("eth0:1234"), so split at the colon first.
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (name == "lo" || fields.Length < 9 ||
                !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var rx) ||
                !long.TryParse(fields[8], NumberStyles.None, CultureInfo.InvariantCulture, out var tx))
            {
                continue;
            }

            received += rx;
            transmitted += tx;
        }

        return (received, transmitted);
    }
}
