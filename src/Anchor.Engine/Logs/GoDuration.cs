namespace Anchor.Engine.Logs;

/// <summary>
/// Go's <c>time.ParseDuration</c> grammar, which docker tries first for <c>--since</c>/<c>--until</c>:
/// an optional sign, then one or more decimal numbers (with an optional fraction) each followed by a
/// unit ("ns", "us", "µs", "μs", "ms", "s", "m", "h"), e.g. "300ms", "-1.5h", "2h45m". "0" alone is
/// zero; anything else without a unit, or beyond ±2^63 ns, is not a duration.
/// </summary>
internal static class GoDuration
{
    private const ulong Limit = 1UL << 63;

    public static bool TryParse(string s, out long nanoseconds)
    {
        nanoseconds = 0;
        var i = 0;
        var negative = false;
        if (i < s.Length && s[i] is '-' or '+')
        {
            negative = s[i] == '-';
            i++;
        }

        if (s.Length - i == 1 && s[i] == '0')
        {
            return true;
        }

        if (i == s.Length)
        {
            return false;
        }

        ulong total = 0;
        while (i < s.Length)
        {
            if (!(char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                return false;
            }

            var start = i;
            ulong whole = 0;
            for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
            {
                if (whole > Limit / 10)
                {
                    return false;
                }

                whole = (whole * 10) + (ulong)(s[i] - '0');
                if (whole > Limit)
                {
                    return false;
                }
            }

            var hasWhole = i > start;
            ulong fraction = 0;
            double scale = 1;
            var hasFraction = false;
            if (i < s.Length && s[i] == '.')
            {
                i++;
                var fractionStart = i;
                var overflow = false;
                for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
                {
                    // Digits past what 63 bits hold are dropped, as Go's leadingFraction does.
                    if (overflow || fraction > (Limit - 1) / 10 || (fraction * 10) + (ulong)(s[i] - '0') > Limit)
                    {
                        overflow = true;
                        continue;
                    }

                    fraction = (fraction * 10) + (ulong)(s[i] - '0');
                    scale *= 10;
                }

                hasFraction = i > fractionStart;
            }

            if (!hasWhole && !hasFraction)
            {
                return false;
            }

            var unitStart = i;
            for (; i < s.Length && s[i] != '.' && !char.IsAsciiDigit(s[i]); i++)
            {
            }

            if (Unit(s.AsSpan(unitStart, i - unitStart)) is not { } unit)
            {
                return false;
            }

            if (whole > Limit / unit)
            {
                return false;
            }

            var value = whole * unit;
            if (fraction > 0)
            {
                value += (ulong)(fraction * (unit / scale));
                if (value > Limit)
                {
                    return false;
                }
            }

            total += value;
            if (total > Limit)
            {
                return false;
            }
        }

        if (!negative && total > Limit - 1)
        {
            return false;
        }

        nanoseconds = negative ? (long)(0 - total) : (long)total;
        return true;
    }

    private static ulong? Unit(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1,
        "us" or "\u00B5s" or "\u03BCs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => null,
    };
}
