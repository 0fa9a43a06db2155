using System.Text;

namespace Anchor.Engine.Logs;

/// <summary>
/// Go's <c>time.Parse</c> for the layouts docker's <c>--since</c>/<c>--until</c> (client
/// timestamp.GetTimestamp) and the json-file log's <c>time</c> field use: the elements 2006, 01,
/// 02, 15, 04, 05, .999999999 and Z07:00 between literal text. It follows Go's rules (a zero-padded
/// field needs two digits, the hour one or two, fractions beyond 9 digits are truncated, a fraction
/// is accepted after seconds even when the layout has none, "Z" or ±hh:mm for the zone) and its
/// error texts ("parsing time "V" as "L": cannot parse "X" as "Y"", "... month out of range",
/// "... extra text: ..."), so a bad value reads as docker's message.
/// </summary>
internal sealed class GoTimeLayout
{
    public static readonly GoTimeLayout Rfc3339 = new("2006-01-02T15:04:05Z07:00");
    public static readonly GoTimeLayout Rfc3339Nano = new("2006-01-02T15:04:05.999999999Z07:00");

    private readonly string _layout;
    private readonly Chunk[] _chunks;

    public GoTimeLayout(string layout)
    {
        _layout = layout;
        _chunks = Split(layout);
    }

    private enum Std
    {
        End,
        LongYear,
        ZeroMonth,
        ZeroDay,
        Hour,
        ZeroMinute,
        ZeroSecond,
        FracSecond9,
        ColonTz,
    }

    /// <summary>
    /// Parses <paramref name="value"/> (ASCII/UTF-8); a value without a zone is at
    /// <paramref name="offset"/> (Go's ParseInLocation with a fixed zone; zero is Parse's UTC).
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> value, TimeSpan offset, out Int128 unixNanoseconds, out string? error)
    {
        unixNanoseconds = 0;
        error = null;
        int year = 0, month = -1, day = -1, hour = 0, minute = 0, second = 0, nanos = 0;
        var zone = (long)offset.TotalSeconds;
        var rest = value;
        for (var c = 0; c < _chunks.Length; c++)
        {
            var chunk = _chunks[c];
            for (var i = 0; i < chunk.Prefix.Length; i++)
            {
                if (rest.Length == 0 || rest[0] != chunk.Prefix[i])
                {
                    error = CannotParse(value, rest, chunk.Prefix);
                    return false;
                }

                rest = rest[1..];
            }

            if (chunk.Std == Std.End)
            {
                if (rest.Length != 0)
                {
                    error = $"parsing time {Quote(value)}: extra text: {Quote(rest)}";
                    return false;
                }

                break;
            }

            var hold = rest;
            string? range = null;
            var ok = true;
            switch (chunk.Std)
            {
                case Std.LongYear:
                    ok = rest.Length >= 4 && Digits(rest[..4]);
                    if (ok)
                    {
                        year = Number(rest[..4]);
                        rest = rest[4..];
                    }

                    break;
                case Std.ZeroMonth:
                    ok = TakeNumber(ref rest, fixedWidth: true, out month);
                    range = ok && month is < 1 or > 12 ? "month" : null;
                    break;
                case Std.ZeroDay:
                    ok = TakeNumber(ref rest, fixedWidth: true, out day); // Checked against the month after the loop, as Go does.
                    break;
                case Std.Hour:
                    ok = TakeNumber(ref rest, fixedWidth: false, out hour);
                    range = ok && hour >= 24 ? "hour" : null;
                    break;
                case Std.ZeroMinute:
                    ok = TakeNumber(ref rest, fixedWidth: true, out minute);
                    range = ok && minute >= 60 ? "minute" : null;
                    break;
                case Std.ZeroSecond:
                    ok = TakeNumber(ref rest, fixedWidth: true, out second);
                    range = ok && second >= 60 ? "second" : null;
                    if (ok && range is null && c + 1 < _chunks.Length && _chunks[c + 1].Std != Std.FracSecond9
                        && rest.Length >= 2 && rest[0] is (byte)'.' or (byte)',' && char.IsAsciiDigit((char)rest[1]))
                    {
                        // A fraction after the seconds is taken even when the layout has none (Go's stdSecond case).
                        nanos = TakeFraction(ref rest);
                    }

                    break;
                case Std.FracSecond9:
                    if (rest.Length >= 2 && rest[0] is (byte)'.' or (byte)',' && char.IsAsciiDigit((char)rest[1]))
                    {
                        nanos = TakeFraction(ref rest);
                    }

                    break;
                case Std.ColonTz:
                    ok = TakeZone(ref rest, ref zone, out range);
                    break;
            }

            if (range is not null)
            {
                error = $"parsing time {Quote(value)}: {range} out of range";
                return false;
            }

            if (!ok)
            {
                error = CannotParse(value, hold, chunk.Text);
                return false;
            }
        }

        if (day < 1 || day > DaysIn(month, year))
        {
            error = $"parsing time {Quote(value)}: day out of range";
            return false;
        }

        var seconds = (DaysFromCivil(year, month, day) * 86400L) + (hour * 3600L) + (minute * 60L) + second - zone;
        unixNanoseconds = ((Int128)seconds * 1_000_000_000) + nanos;
        return true;
    }

    private string CannotParse(ReadOnlySpan<byte> value, ReadOnlySpan<byte> valueElement, string layoutElement) =>
        $"parsing time {Quote(value)} as {Quote(Encoding.UTF8.GetBytes(_layout))}: cannot parse {Quote(valueElement)} as {Quote(Encoding.UTF8.GetBytes(layoutElement))}";

    /// <summary>Go's getnum: one or two digits, exactly two when the field is zero-padded.</summary>
    private static bool TakeNumber(ref ReadOnlySpan<byte> rest, bool fixedWidth, out int number)
    {
        number = 0;
        if (rest.Length == 0 || !char.IsAsciiDigit((char)rest[0]))
        {
            return false;
        }

        if (rest.Length < 2 || !char.IsAsciiDigit((char)rest[1]))
        {
            if (fixedWidth)
            {
                return false;
            }

            number = rest[0] - '0';
            rest = rest[1..];
            return true;
        }

        number = ((rest[0] - '0') * 10) + (rest[1] - '0');
        rest = rest[2..];
        return true;
    }

    /// <summary>A '.' or ',' and its digits; digits past the ninth are dropped (Go's parseNanoseconds).</summary>
    private static int TakeFraction(ref ReadOnlySpan<byte> rest)
    {
        var n = 1;
        while (n < rest.Length && char.IsAsciiDigit((char)rest[n]))
        {
            n++;
        }

        var digits = rest[1..Math.Min(n, 10)];
        var nanos = Number(digits);
        for (var i = digits.Length; i < 9; i++)
        {
            nanos *= 10;
        }

        rest = rest[n..];
        return nanos;
    }

    /// <summary>"Z", or ±hh:mm (Go's stdISO8601ColonTZ; the range test allows 24 hours and 60 minutes).</summary>
    private static bool TakeZone(ref ReadOnlySpan<byte> rest, ref long zone, out string? range)
    {
        range = null;
        if (rest.Length >= 1 && rest[0] == 'Z')
        {
            rest = rest[1..];
            zone = 0;
            return true;
        }

        if (rest.Length < 6 || rest[3] != ':')
        {
            return false;
        }

        // Go checks hours, then minutes, then reports a range error before a bad sign.
        var hoursOk = Digits(rest[1..3]);
        var hours = hoursOk ? Number(rest[1..3]) : 0;
        var minutesOk = hoursOk && Digits(rest[4..6]);
        var minutes = minutesOk ? Number(rest[4..6]) : 0;
        range = minutes > 60 ? "time zone offset minute" : hours > 24 ? "time zone offset hour" : null;
        var sign = rest[0];
        rest = rest[6..];
        zone = ((hours * 60L) + minutes) * 60 * (sign == '-' ? -1 : 1);
        return minutesOk && sign is (byte)'+' or (byte)'-';
    }

    private static bool Digits(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
        {
            if (!char.IsAsciiDigit((char)b))
            {
                return false;
            }
        }

        return true;
    }

    private static int Number(ReadOnlySpan<byte> digits)
    {
        var n = 0;
        foreach (var b in digits)
        {
            n = (n * 10) + (b - '0');
        }

        return n;
    }

    private static int DaysIn(int month, int year) => month switch
    {
        2 => (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (any year, so no DateTime limits).</summary>
    private static long DaysFromCivil(long year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = (year >= 0 ? year : year - 399) / 400;
        var yearOfEra = year - (era * 400);
        var dayOfYear = ((153 * (month + (month > 2 ? -3 : 9))) + 2) / 5 + day - 1;
        var dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146097) + dayOfEra - 719468;
    }

    /// <summary>Go's time.quote: double quotes, \" and \\ escaped, bytes outside printable ASCII as \xNN.</summary>
    public static string Quote(ReadOnlySpan<byte> s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var b in s)
        {
            if (b is < 0x20 or >= 0x80)
            {
                sb.Append("\\x").Append(b.ToString("x2"));
                continue;
            }

            if (b is (byte)'"' or (byte)'\\')
            {
                sb.Append('\\');
            }

            sb.Append((char)b);
        }

        return sb.Append('"').ToString();
    }

    /// <summary>The layout as literal prefixes each followed by one element (Go's nextStdChunk, for the elements above).</summary>
    private static Chunk[] Split(string layout)
    {
        var chunks = new List<Chunk>();
        var prefix = new StringBuilder();
        var i = 0;
        while (i < layout.Length)
        {
            var (std, length) = ElementAt(layout, i);
            if (std == Std.End)
            {
                prefix.Append(layout[i]);
                i++;
                continue;
            }

            chunks.Add(new Chunk(prefix.ToString(), std, layout.Substring(i, length)));
            prefix.Clear();
            i += length;
        }

        chunks.Add(new Chunk(prefix.ToString(), Std.End, ""));
        return [.. chunks];
    }

    private static (Std Std, int Length) ElementAt(string layout, int i)
    {
        var rest = layout.AsSpan(i);
        if (rest.StartsWith("2006"))
        {
            return (Std.LongYear, 4);
        }

        if (rest.StartsWith("Z07:00"))
        {
            return (Std.ColonTz, 6);
        }

        if (rest.Length >= 2 && rest[0] == '.' && rest[1] == '9')
        {
            var n = 1;
            while (n < rest.Length && rest[n] == '9')
            {
                n++;
            }

            return (Std.FracSecond9, n);
        }

        return rest.Length < 2 ? (Std.End, 0) : rest[..2] switch
        {
            "01" => (Std.ZeroMonth, 2),
            "02" => (Std.ZeroDay, 2),
            "15" => (Std.Hour, 2),
            "04" => (Std.ZeroMinute, 2),
            "05" => (Std.ZeroSecond, 2),
            _ => (Std.End, 0),
        };
    }

    private readonly record struct Chunk(string Prefix, Std Std, string Text);
}
