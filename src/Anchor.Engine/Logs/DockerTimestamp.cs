using System.Globalization;
using System.Text;

namespace Anchor.Engine.Logs;

/// <summary>
/// The value of <c>logs --since/--until</c>, read as docker reads it: the client's
/// <c>timestamp.GetTimestamp</c> (a Go duration before now, else an RFC 3339 date or time in one of
/// several precisions, local time when it names no zone, else a Unix timestamp "SECONDS[.FRACTION]")
/// and then the daemon's <c>ParseUnixTimestamp</c> (moby client/internal/timestamp and
/// daemon/internal/timestamp). The result is nanoseconds since the Unix epoch.
/// </summary>
public static class DockerTimestamp
{
    private static readonly GoTimeLayout Rfc3339Local = new("2006-01-02T15:04:05");
    private static readonly GoTimeLayout Rfc3339NanoLocal = new("2006-01-02T15:04:05.999999999");
    private static readonly GoTimeLayout DateWithZone = new("2006-01-02Z07:00");
    private static readonly GoTimeLayout DateLocal = new("2006-01-02");
    private static readonly GoTimeLayout HourLocal = new("2006-01-02T15");
    private static readonly GoTimeLayout MinuteLocal = new("2006-01-02T15:04");
    private static readonly GoTimeLayout HourWithZone = new("2006-01-02T15Z07:00");
    private static readonly GoTimeLayout MinuteWithZone = new("2006-01-02T15:04Z07:00");

    /// <summary>Parses <paramref name="value"/> of option <paramref name="flag"/> ("since", "until"); a bad value is docker's error, exit code 1.</summary>
    public static Int128 Parse(string flag, string value, DateTimeOffset now) => Parse(flag, value, now, clientNamesFlag: true);

    /// <summary>
    /// As <see cref="Parse(string, string, DateTimeOffset)"/>; without <paramref name="clientNamesFlag"/>
    /// the client's own errors come as GetTimestamp returns them, without "invalid value for \"FLAG\": "
    /// (docker's client wraps them for logs, not for events: client/container_logs.go, client/events.go).
    /// </summary>
    public static Int128 Parse(string flag, string value, DateTimeOffset now, bool clientNamesFlag)
    {
        // "0" is a valid duration but docker means the Unix timestamp 0 by it.
        if (value != "0" && GoDuration.TryParse(value, out var duration))
        {
            // The client sends whole seconds: time.Unix() of now minus the duration, rounded down.
            var reference = ((Int128)(now.UtcTicks - DateTime.UnixEpoch.Ticks) * 100) - duration;
            return FloorSeconds(reference) * 1_000_000_000;
        }

        // A Z, a + or three dashes name a zone; otherwise the time is local.
        var local = value.AsSpan().IndexOfAny("zZ+") < 0 && value.Count('-') != 3;
        var layout = Layout(value, local);
        var bytes = Encoding.UTF8.GetBytes(value);
        if (layout.TryParse(bytes, local ? now.Offset : TimeSpan.Zero, out var nanos, out var error))
        {
            return nanos;
        }

        if (value.Contains('-', StringComparison.Ordinal))
        {
            throw Invalid(clientNamesFlag ? flag : null, error!);
        }

        if (!IsUnixTimestamp(value))
        {
            throw Invalid(clientNamesFlag ? flag : null, $"failed to parse value as time or duration: {GoTimeLayout.Quote(bytes)}");
        }

        return DaemonUnixTimestamp(flag, value);
    }

    private static GoTimeLayout Layout(string value, bool local)
    {
        if (value.Contains('.', StringComparison.Ordinal))
        {
            return local ? Rfc3339NanoLocal : GoTimeLayout.Rfc3339Nano;
        }

        if (!value.Contains('T', StringComparison.Ordinal))
        {
            return local ? DateLocal : DateWithZone;
        }

        // The colons of the time part; a ±hh:mm zone brings one more.
        var colons = value.Count(':');
        if (!local && value.AsSpan().IndexOfAny("zZ") < 0 && colons > 0)
        {
            colons--;
        }

        return (colons, local) switch
        {
            (0, true) => HourLocal,
            (1, true) => MinuteLocal,
            (_, true) => Rfc3339Local,
            (0, false) => HourWithZone,
            (1, false) => MinuteWithZone,
            _ => GoTimeLayout.Rfc3339,
        };
    }

    /// <summary>The client's check: "SECONDS" or "SECONDS.N", both Go int64s (strconv.ParseInt, base 10).</summary>
    private static bool IsUnixTimestamp(string value)
    {
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        return GoInt(dot < 0 ? value : value[..dot]) && (dot < 0 || GoInt(value[(dot + 1)..]));
    }

    private static bool GoInt(string s) => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    /// <summary>The daemon's ParseUnixTimestamp: the fraction is digits only, at most 20, padded or cut to nanoseconds.</summary>
    private static Int128 DaemonUnixTimestamp(string flag, string value)
    {
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var seconds = long.Parse(dot < 0 ? value : value[..dot], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var fraction = dot < 0 ? "" : value[(dot + 1)..];
        string? error = null;
        if (fraction.Length > 20)
        {
            error = $"invalid nanoseconds: length {fraction.Length} exceeds maximum 20";
        }
        else if (fraction.AsSpan().IndexOfAnyExceptInRange('0', '9') is var bad and >= 0)
        {
            error = $"invalid nanoseconds: invalid character '{fraction[bad]}' at position {bad}";
        }

        if (error is not null)
        {
            throw EngineException.Daemon(EngineErrorKind.InvalidParameter, $"invalid value for \"{flag}\": invalid timestamp {GoTimeLayout.Quote(Encoding.UTF8.GetBytes(value))}: {error}", 1);
        }

        var nanos = fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(9, '0')[..9], CultureInfo.InvariantCulture);
        return ((Int128)seconds * 1_000_000_000) + nanos;
    }

    private static Int128 FloorSeconds(Int128 nanos)
    {
        var seconds = nanos / 1_000_000_000;
        return nanos < 0 && seconds * 1_000_000_000 != nanos ? seconds - 1 : seconds;
    }

    private static EngineException Invalid(string? flag, string message) => new(flag is null ? message : $"invalid value for \"{flag}\": {message}", 1);
}
