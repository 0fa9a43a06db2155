using System.Globalization;

namespace Anchor.Engine.Units;

/// <summary>--cpus as a CFS quota: 1.5 CPUs is 150000 µs of CPU time per 100000 µs period (docker's NanoCPUs).</summary>
public static class CpuQuota
{
    public const ulong Period = 100_000;

    public static bool TryParse(string value, out long quota)
    {
        quota = 0;
        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cpus) || cpus <= 0 || cpus > 1024)
        {
            return false;
        }

        quota = (long)Math.Round(cpus * Period);
        return quota >= 1000; // the kernel refuses quotas under 1 ms
    }

    /// <summary>Whether the value is a number above 0 (one TryParse refused for its range, not its syntax).</summary>
    public static bool IsPositiveNumber(string value) =>
        decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cpus) && cpus > 0;
}
