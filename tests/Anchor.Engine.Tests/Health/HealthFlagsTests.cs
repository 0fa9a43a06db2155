using Anchor.Engine.Health;
using Anchor.Oci.Image;

namespace Anchor.Engine.Tests.Health;

public sealed class HealthFlagsTests
{
    [Theory]
    [InlineData("30s", 30_000_000_000L)]
    [InlineData("1m30s", 90_000_000_000L)]
    [InlineData("500ms", 500_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData("0", 0L)]
    public void Duration_GoGrammar(string text, long nanoseconds) =>
        Assert.Equal(nanoseconds, HealthFlags.Duration("--health-interval", text));

    [Theory]
    [InlineData("10")]
    [InlineData("soon")]
    [InlineData("")]
    public void Duration_NotGo_FailsWithPflagsWording(string text)
    {
        var e = Assert.Throws<EngineException>(() => HealthFlags.Duration("--health-timeout", text));
        Assert.Equal($"invalid argument \"{text}\" for \"--health-timeout\" flag: time: invalid duration \"{text}\"", e.Message);
        Assert.Equal(125, e.ExitCode);
    }

    [Fact]
    public void Parse_NoFlags_IsNull_NoHealthcheckIsNone_CmdIsCmdShell()
    {
        Assert.Null(HealthFlags.Parse(new HealthFlags.Values()));
        Assert.Equal(["NONE"], HealthFlags.Parse(new HealthFlags.Values(NoHealthcheck: true))!.Test);
        var config = HealthFlags.Parse(new HealthFlags.Values(Cmd: "curl -f localhost", Interval: "2s", Retries: "4"))!;
        Assert.Equal(["CMD-SHELL", "curl -f localhost"], config.Test);
        Assert.Equal((2_000_000_000L, 4, 0L), (config.Interval, config.Retries, config.Timeout));
        Assert.Null(HealthFlags.Parse(new HealthFlags.Values(Interval: "5s"))!.Test);
    }

    [Theory]
    [InlineData("--no-healthcheck conflicts with --health-* options", null, null, "1", true)]
    [InlineData("--health-interval cannot be negative", "-1s", null, null, false)]
    [InlineData("--health-retries cannot be negative", null, null, "-2", false)]
    [InlineData("Error response from daemon: Interval in Healthcheck cannot be less than 1ms", "999us", null, null, false)]
    [InlineData("invalid argument \"x\" for \"--health-retries\" flag: strconv.ParseInt: parsing \"x\": invalid syntax", null, null, "x", false)]
    public void Parse_Invalid_FailsWithDockersMessage(string message, string? interval, string? timeout, string? retries, bool none)
    {
        var e = Assert.Throws<EngineException>(() => HealthFlags.Parse(new HealthFlags.Values(Interval: interval, Timeout: timeout, Retries: retries, NoHealthcheck: none)));
        Assert.Equal(message, e.Shown());
    }

    [Fact]
    public void Merge_UnsetUserFields_ComeFromTheImage()
    {
        var image = new HealthConfig { Test = ["CMD", "check"], Interval = 5, Timeout = 6, Retries = 7 };
        Assert.Same(image, HealthFlags.Merge(null, image));
        var merged = HealthFlags.Merge(new HealthConfig { Interval = 1 }, image)!;
        Assert.Equal(["CMD", "check"], merged.Test);
        Assert.Equal((1L, 6L, 7), (merged.Interval, merged.Timeout, merged.Retries));
        Assert.Equal(["NONE"], HealthFlags.Merge(new HealthConfig { Test = ["NONE"] }, image)!.Test);
    }

    [Fact]
    public void Probe_DefaultsAndCommands_AsDocker()
    {
        Assert.Null(HealthProbe.From(null, null));
        Assert.Null(HealthProbe.From(new HealthConfig { Test = ["NONE"] }, null));
        Assert.Null(HealthProbe.From(new HealthConfig { Interval = 5 }, null));
        var shell = HealthProbe.From(new HealthConfig { Test = ["CMD-SHELL", "test -e /ok"] }, null)!;
        Assert.Equal(["/bin/sh", "-c", "test -e /ok"], shell.Command);
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromSeconds(5), 3),
            (shell.Interval, shell.Timeout, shell.StartPeriod, shell.StartInterval, shell.Retries));
        Assert.Equal(["pwsh", "-c", "x"], HealthProbe.From(new HealthConfig { Test = ["CMD-SHELL", "x"] }, ["pwsh", "-c"])!.Command);
        Assert.Equal(["check", "--fast"], HealthProbe.From(new HealthConfig { Test = ["CMD", "check", "--fast"] }, null)!.Command);
    }

    [Fact]
    public void NextDelay_StartIntervalOnlyWhileStartingInsideTheStartPeriod()
    {
        var probe = new HealthProbe(["true"], TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2), 3);
        Assert.Equal(TimeSpan.FromSeconds(2), probe.NextDelay(TimeSpan.FromSeconds(10), HealthStatus.Starting));
        Assert.Equal(TimeSpan.FromSeconds(30), probe.NextDelay(TimeSpan.FromSeconds(10), HealthStatus.Healthy));
        Assert.Equal(TimeSpan.FromSeconds(30), probe.NextDelay(TimeSpan.FromSeconds(61), HealthStatus.Starting));
    }

    [Theory]
    [InlineData(300, "300ms")]
    [InlineData(30_000, "30s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(120_000, "2m0s")]
    [InlineData(3_600_000, "1h0m0s")]
    public void DurationText_IsGosDurationString(int milliseconds, string text) =>
        Assert.Equal(text, HealthCheck.DurationText(TimeSpan.FromMilliseconds(milliseconds)));
}
