using System.Globalization;

namespace Anchor.Cli.Output.Templates;

/// <summary>
/// Go's time.Duration.String (pkg.go.dev/time#Duration.String): "5s", "1m30s", "1h0m0s",
/// "1.5s", "500ms", "2µs", "0s". docker's structs hold health-check intervals as Durations, so a
/// template prints them this way while JSON keeps the nanoseconds.
/// </summary>
public static class GoDuration
{
    public static string Format(long nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return "0s";
        }

        var sign = nanoseconds < 0 ? "-" : "";
        var u = nanoseconds == long.MinValue ? (ulong)long.MaxValue + 1 : (ulong)Math.Abs(nanoseconds);
        if (u < 1_000_000_000)
        {
            // Under a second: the largest of ns, µs, ms that keeps a non-zero integer part.
            var (unit, scale) = u < 1_000 ? ("ns", 1UL) : u < 1_000_000 ? ("µs", 1_000UL) : ("ms", 1_000_000UL);
            return sign + Fraction(u, scale) + unit;
        }

        var hours = u / 3_600_000_000_000;
        var rest = u % 3_600_000_000_000;
        var minutes = rest / 60_000_000_000;
        var seconds = Fraction(rest % 60_000_000_000, 1_000_000_000) + "s";
        return sign + (hours > 0
            ? $"{hours.ToString(CultureInfo.InvariantCulture)}h{minutes.ToString(CultureInfo.InvariantCulture)}m{seconds}"
            : minutes > 0 ? $"{minutes.ToString(CultureInfo.InvariantCulture)}m{seconds}" : seconds);
    }

    /// <summary>value/scale with the fraction's trailing zeros (and a bare point) dropped.</summary>
    private static string Fraction(ulong value, ulong scale)
    {
        var whole = (value / scale).ToString(CultureInfo.InvariantCulture);
        if (scale == 1)
        {
            return whole;
        }

        var digits = scale.ToString(CultureInfo.InvariantCulture).Length - 1;
        var fraction = (value % scale).ToString("D" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).TrimEnd('0');
        return fraction.Length > 0 ? whole + "." + fraction : whole;
    }
}
