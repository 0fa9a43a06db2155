using Anchor.Engine.Logs;

namespace Anchor.Engine.Tests.Logs;

/// <summary>
/// <c>--since/--until</c> values as docker's client and daemon read them (the expected values and
/// messages are Go's time.Parse / time.ParseDuration results for the same inputs).
/// </summary>
public sealed class DockerTimestampTests
{
    // 2024-05-06T07:08:09.5 at +02:00 local time.
    private static readonly DateTimeOffset Now = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)).AddMilliseconds(500);
    private const long NowSeconds = 1714972089;
    private const long E9 = 1_000_000_000;

    private static Int128 Parse(string value) => DockerTimestamp.Parse("since", value, Now);

    [Theory]
    [InlineData("2013-01-02T13:23:37Z", 1357133017L, 0)]
    [InlineData("2013-01-02T13:23:37.123456789Z", 1357133017L, 123456789)]
    [InlineData("2013-01-02T13:23:37.1234567891Z", 1357133017L, 123456789)]
    [InlineData("2013-01-02T13:23:37.5+01:00", 1357129417L, 500000000)]
    [InlineData("2013-01-02T13:23:37+01:00", 1357129417L, 0)]
    [InlineData("2013-01-02T13:23:37-01:30", 1357138417L, 0)]
    [InlineData("2013-01-02T13Z", 1357131600L, 0)]
    [InlineData("2013-01-02T13:23Z", 1357132980L, 0)]
    [InlineData("2013-01-02T13:23+01:00", 1357129380L, 0)]
    [InlineData("2013-01-02Z", 1357084800L, 0)]
    [InlineData("2013-01-02+01:00", 1357081200L, 0)]
    [InlineData("2012-02-29T00:00:00Z", 1330473600L, 0)]
    [InlineData("1969-12-31T23:59:59.25Z", -1L, 250000000)]
    public void Parse_Rfc3339WithZone(string value, long seconds, int nanos) =>
        Assert.Equal(((Int128)seconds * E9) + nanos, Parse(value));

    [Theory]
    [InlineData("2013-01-02", 1357077600L, 0)]
    [InlineData("2013-01-02T13", 1357124400L, 0)]
    [InlineData("2013-01-02T13:23", 1357125780L, 0)]
    [InlineData("2013-01-02T13:23:37", 1357125817L, 0)]
    [InlineData("2013-01-02T13:23:37.75", 1357125817L, 750000000)]
    [InlineData("2013-01-02T3:23:37", 1357089817L, 0)]
    public void Parse_WithoutZone_IsLocalTime(string value, long seconds, int nanos) =>
        Assert.Equal(((Int128)seconds * E9) + nanos, Parse(value));

    [Theory]
    [InlineData("1700000000", 1700000000L, 0)]
    [InlineData("1700000000.123", 1700000000L, 123000000)]
    [InlineData("1700000000.000000001", 1700000000L, 1)]
    [InlineData("1700000000.1234567891234", 1700000000L, 123456789)]
    [InlineData("0", 0L, 0)]
    [InlineData("+5", 5L, 0)]
    public void Parse_UnixTimestamp(string value, long seconds, int nanos) =>
        Assert.Equal(((Int128)seconds * E9) + nanos, Parse(value));

    [Theory]
    [InlineData("10m", 600)]
    [InlineData("42s", 42)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("300ms", 1)] // whole seconds: 09.5 - 0.3 = 09.2, rounded down to 09
    [InlineData("600ms", 1)] // 08.9 -> 08
    [InlineData("-1h", -3600)]
    [InlineData("0s", 0)]
    public void Parse_GoDuration_IsBeforeNowInWholeSeconds(string value, long back)
    {
        var expected = value switch
        {
            "300ms" => NowSeconds,
            "600ms" => NowSeconds - 1,
            _ => NowSeconds - back,
        };
        Assert.Equal((Int128)expected * E9, Parse(value));
    }

    [Theory]
    [InlineData("foo", "invalid value for \"since\": failed to parse value as time or duration: \"foo\"")]
    [InlineData("10", null)]
    [InlineData("10x", "invalid value for \"since\": failed to parse value as time or duration: \"10x\"")]
    [InlineData("2013/01/02", "invalid value for \"since\": failed to parse value as time or duration: \"2013/01/02\"")]
    [InlineData("5.", "invalid value for \"since\": failed to parse value as time or duration: \"5.\"")]
    [InlineData("2013-13-01", "invalid value for \"since\": parsing time \"2013-13-01\": month out of range")]
    [InlineData("2013-01-32", "invalid value for \"since\": parsing time \"2013-01-32\": day out of range")]
    [InlineData("2013-02-29", "invalid value for \"since\": parsing time \"2013-02-29\": day out of range")]
    [InlineData("2013-01-02T25:00:00Z", "invalid value for \"since\": parsing time \"2013-01-02T25:00:00Z\": hour out of range")]
    [InlineData("2013-01-02T10:61:00Z", "invalid value for \"since\": parsing time \"2013-01-02T10:61:00Z\": minute out of range")]
    [InlineData("2013-01-02X", "invalid value for \"since\": parsing time \"2013-01-02X\": extra text: \"X\"")]
    [InlineData("2013-1-02", "invalid value for \"since\": parsing time \"2013-1-02\" as \"2006-01-02\": cannot parse \"1-02\" as \"01\"")]
    [InlineData("2013-01-02T13:23:37", null)]
    [InlineData("2013-01-02t13:23:37z", "invalid value for \"since\": parsing time \"2013-01-02t13:23:37z\" as \"2006-01-02Z07:00\": cannot parse \"t13:23:37z\" as \"Z07:00\"")]
    [InlineData("13-01-02T10:00:00Z", "invalid value for \"since\": parsing time \"13-01-02T10:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"13-01-02T10:00:00Z\" as \"2006\"")]
    [InlineData("2013-01-02 10:00:00", "invalid value for \"since\": parsing time \"2013-01-02 10:00:00\": extra text: \" 10:00:00\"")]
    [InlineData("2013-01-02T10:00:00.5+0100", "invalid value for \"since\": parsing time \"2013-01-02T10:00:00.5+0100\" as \"2006-01-02T15:04:05.999999999Z07:00\": cannot parse \"+0100\" as \"Z07:00\"")]
    [InlineData("-5", "invalid value for \"since\": parsing time \"-5\" as \"2006-01-02\": cannot parse \"-5\" as \"2006\"")]
    [InlineData("5.-5", "invalid value for \"since\": parsing time \"5.-5\" as \"2006-01-02T15:04:05.999999999\": cannot parse \"5.-5\" as \"2006\"")]
    [InlineData("5.+5", "Error response from daemon: invalid value for \"since\": invalid timestamp \"5.+5\": invalid nanoseconds: invalid character '+' at position 0")]
    public void Parse_Invalid_IsDockersMessageWithExitCode1(string value, string? message)
    {
        if (message is null)
        {
            Parse(value); // valid: no exception
            return;
        }

        var e = Assert.Throws<EngineException>(() => Parse(value));
        Assert.Equal(message, e.Shown());
        Assert.Equal(1, e.ExitCode);
    }

    [Fact]
    public void Parse_UsesTheOptionName()
    {
        var e = Assert.Throws<EngineException>(() => DockerTimestamp.Parse("until", "nope", Now));
        Assert.Equal("invalid value for \"until\": failed to parse value as time or duration: \"nope\"", e.Message);
    }

    [Theory]
    [InlineData("notatime", "failed to parse value as time or duration: \"notatime\"")]
    [InlineData("2013-13-01", "parsing time \"2013-13-01\": month out of range")]
    public void Parse_ClientNotNamingTheFlag_IsGetTimestampsErrorAlone(string value, string message)
    {
        // docker's events: the client returns GetTimestamp's error as it is (logs wraps it).
        var e = Assert.Throws<EngineException>(() => DockerTimestamp.Parse("since", value, Now, clientNamesFlag: false));
        Assert.Equal((message, 1, false), (e.Message, e.ExitCode, e.FromDaemon));
    }
}
