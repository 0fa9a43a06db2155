namespace Anchor.Engine.Monitor;

/// <summary>
/// The json-file log's time stamps, "2006-01-02T15:04:05.0000000Z" (UTC, seven fraction digits, as
/// the log has always stored them), formatted without allocating: the date and time of day are
/// formatted once a second, only the fraction per stamp.
/// </summary>
internal sealed class LogClock
{
    private const int SecondsLength = 19; // "2006-01-02T15:04:05"
    private readonly byte[] _stamp = new byte[SecondsLength + 9]; // and ".0000000Z"
    private long _second = -1;

    /// <summary>Now, as the log stores it; valid until the next call.</summary>
    public ReadOnlySpan<byte> Now()
    {
        var ticks = DateTime.UtcNow.Ticks;
        var second = ticks / TimeSpan.TicksPerSecond;
        if (second != _second)
        {
            _second = second;
            new DateTime(second * TimeSpan.TicksPerSecond, DateTimeKind.Utc)
                .TryFormat(_stamp, out _, "yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            _stamp[SecondsLength] = (byte)'.';
            _stamp[^1] = (byte)'Z';
        }

        var fraction = ticks % TimeSpan.TicksPerSecond;
        for (var i = SecondsLength + 7; i > SecondsLength; i--)
        {
            _stamp[i] = (byte)('0' + (fraction % 10));
            fraction /= 10;
        }

        return _stamp;
    }
}
