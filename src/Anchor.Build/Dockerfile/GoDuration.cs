using System.Globalization;

namespace Anchor.Build.Dockerfile;

/// <summary>Go's time.ParseDuration ("30s", "1m30s", "500ms"), in nanoseconds, for HEALTHCHECK flags.</summary>
public static class GoDuration
{
    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "0")
        {
            return 0;
        }

        double total = 0;
        var i = 0;
        if (text.Length == 0)
        {
            throw new BuildException($"time: invalid duration \"{text}\"");
        }

        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]) || (i < text.Length && text[i] == 'µ'))
            {
                i++;
            }

            if (start == unitStart || !double.TryParse(text[start..unitStart], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                throw new BuildException($"time: invalid duration \"{text}\"");
            }

            total += number * (text[unitStart..i] switch
            {
                "ns" => 1,
                "us" or "µs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                "h" => 3600e9,
                "" => throw new BuildException($"time: missing unit in duration \"{text}\""),
                var unit => throw new BuildException($"time: unknown unit \"{unit}\" in duration \"{text}\""),
            });
        }

        return (long)total;
    }
}
