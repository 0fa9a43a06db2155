using System.Diagnostics;
using System.Globalization;

namespace Anchor.IntegrationTests;

/// <summary><c>anchor logs --since/--until</c>: docker's grammar, its inclusive bounds, and how they meet --tail and -f.</summary>
[Collection(AnchorCollection.Name)]
public sealed class LogsTimeTests(AnchorFixture anchor)
{
    private const string ThreeLines = "echo one; sleep 0.3; echo two; sleep 0.3; echo three";

    /// <summary>The time of each line as <c>logs -t</c> prints it.</summary>
    private string[] Stamps(string name)
    {
        var lines = anchor.Ok("logs", "-t", name).Out.Split('\n');
        return [.. lines.Select(l => l[..l.IndexOf(' ', StringComparison.Ordinal)])];
    }

    private string Logs(params string[] args) => anchor.Ok(["logs", .. args]).Out;

    /// <summary>"SECONDS.NANOSECONDS" of an RFC 3339 time with nine fraction digits.</summary>
    private static string Unix(string stamp)
    {
        var time = DateTimeOffset.Parse(stamp, CultureInfo.InvariantCulture);
        var nanos = stamp[(stamp.IndexOf('.', StringComparison.Ordinal) + 1)..].TrimEnd('Z');
        return $"{time.ToUnixTimeSeconds()}.{nanos}";
    }

    [Fact]
    public void Logs_SinceAndUntil_AreInclusiveBoundsOnTheLinesTimes() => anchor.WithExited("it-logs-since", ThreeLines, (name, _) =>
    {
        var stamps = Stamps(name);
        Assert.Equal(3, stamps.Length);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$", stamps[1]); // docker's fixed nine digits

        Assert.Equal("two\nthree", Logs("--since", stamps[1], name));
        Assert.Equal("one\ntwo", Logs("--until", stamps[1], name));
        Assert.Equal("two", Logs("--since", stamps[1], "--until", stamps[1], name));
        Assert.Equal("two\nthree", Logs("--since", Unix(stamps[1]), name));
        Assert.Equal("one", Logs("--until", Unix(stamps[0]), name));

        // A time without a zone is local time (docker's ParseInLocation).
        var local = DateTimeOffset.Parse(stamps[2], CultureInfo.InvariantCulture).ToLocalTime();
        Assert.Equal("three", Logs("--since", local.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture), name));
    });

    [Fact]
    public void Logs_SinceAndUntil_GoDurationsCountBackFromNow() => anchor.WithExited("it-logs-dur", ThreeLines, (name, _) =>
    {
        Assert.Equal("one\ntwo\nthree", Logs("--since", "10m", name));
        Assert.Equal("one\ntwo\nthree", Logs("--since", "1h30m", "--until", "-1h", name));
        Assert.Equal("", Logs("--until", "10m", name));
        // docker's client rounds "now - 2s" down to a whole second: 3.5 s after the last line, the
        // bound is at least half a second after it whatever the fraction of the current second.
        Thread.Sleep(3500);
        Assert.Equal("", Logs("--since", "2s", name));
    });

    [Fact]
    public void Logs_TailIsTakenBeforeSinceAndUntil() => anchor.WithExited("it-logs-tailsince", ThreeLines, (name, _) =>
    {
        var stamps = Stamps(name);
        Assert.Equal("three", Logs("--tail", "1", "--since", stamps[0], name));
        Assert.Equal("three", Logs("--tail", "2", "--since", stamps[2], name));

        // As docker: the last two lines are "two" and "three", both after --until.
        Assert.Equal("", Logs("--tail", "2", "--until", stamps[0], name));
        Assert.Equal("two", Logs("--tail", "2", "--until", stamps[1], name));
    });

    [Theory]
    [InlineData("--since", "foo", "invalid value for \"since\": failed to parse value as time or duration: \"foo\"")]
    [InlineData("--until", "2013-01-32", "invalid value for \"until\": parsing time \"2013-01-32\": day out of range")]
    [InlineData("--since", "2013-01-02T10:00:00+0100", "invalid value for \"since\": parsing time \"2013-01-02T10:00:00+0100\" as \"2006-01-02T15:04Z07:00\": cannot parse \":00+0100\" as \"Z07:00\"")]
    public void Logs_InvalidTime_IsDockersErrorAndExitCode1(string option, string value, string message) => anchor.WithExited("it-logs-badtime", "echo x", (name, _) =>
    {
        var logs = anchor.Anchor(["logs", option, value, name]);
        Assert.Equal(1, logs.ExitCode);
        Assert.Equal(message, logs.Err);
        Assert.Equal("", logs.Out);
    });

    [Fact]
    public Task Logs_FollowWithSince_StartsAtThatTimeAndFollows() => anchor.WithRunning(
        "it-logs-fsince",
        $"echo a; sleep 0.3; echo b; while [ ! -e /go ]; do sleep 0.1; done; echo c; {Detached.Forever}",
        name =>
        {
            Detached.Eventually(() => anchor.LogLines(name).Contains("b"), TimeSpan.FromSeconds(10), () => "no line b");
            return anchor.Following(["logs", "-f", "--since", Stamps(name)[1], name], async process =>
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                Assert.Equal("b", await process.StandardOutput.ReadLineAsync(timeout.Token));
                anchor.Ok("exec", name, "touch", "/go");
                Assert.Equal("c", await process.StandardOutput.ReadLineAsync(timeout.Token));
            });
        });

    [Fact]
    public void Logs_FollowWithUntil_StopsFollowingAtThatTime()
    {
        var name = Detached.UniqueName("it-logs-funtil");
        try
        {
            anchor.ShDetached(name, "while true; do echo tick; sleep 0.2; done");
            var until = DateTimeOffset.UtcNow.AddSeconds(2);
            var clock = Stopwatch.StartNew();
            var follow = anchor.Anchor(["logs", "-f", "-t", "--until", until.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture), name], timeout: TimeSpan.FromSeconds(15));
            Assert.True(follow.ExitCode == 0, follow.ToString());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"logs -f --until returned after {clock.Elapsed.TotalSeconds:0.0} s");
            var lines = follow.Out.Split('\n');
            Assert.True(lines.Length >= 3, follow.ToString());
            Assert.All(lines, l =>
            {
                Assert.EndsWith(" tick", l);
                Assert.True(DateTimeOffset.Parse(l[..l.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture) <= until, $"{l} is after --until {until:O}");
            });
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Logs_FollowWithUntilInThePast_EndsAlthoughTheContainerIsSilent()
    {
        var name = Detached.UniqueName("it-logs-fpast");
        try
        {
            anchor.ShDetached(name, $"echo early; {Detached.Forever}");
            Detached.Eventually(() => anchor.LogLines(name).Contains("early"), TimeSpan.FromSeconds(10), () => "no line");
            Thread.Sleep(2500); // "1s" is now minus a second, rounded down to a whole second (docker's client)

            // docker's follower would wait for a next line to end; the clock passing --until ends it here.
            var follow = anchor.Anchor(["logs", "-f", "--until", "1s", name], timeout: TimeSpan.FromSeconds(10));
            Assert.True(follow.ExitCode == 0, follow.ToString());
            Assert.Equal("early", follow.Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }
}
