using System.Diagnostics;

namespace Anchor.IntegrationTests;

/// <summary>Health checks (--health-*): State.Health, ps's status and --filter health=, as docker shows them.</summary>
[Collection(AnchorCollection.Name)]
public sealed class HealthCheckTests(AnchorFixture anchor)
{
    private string Health(string name) => anchor.Ok("inspect", "-f", "{{.State.Health.Status}}", name).Out;

    private bool Listed(string filter, string id) =>
        anchor.Ok("ps", "-q", "--no-trunc", "--filter", filter).Out.Split('\n', StringSplitOptions.TrimEntries).Contains(id);

    [Fact]
    public void Detached_FileTheCheckLooksFor_HealthyThenUnhealthyThenHealthyAgain()
    {
        var name = Detached.UniqueName("it-health");
        try
        {
            var id = anchor.ShDetached(name, $"touch /tmp/ok; {Detached.Forever}",
                "--health-cmd", "test -e /tmp/ok && echo fine", "--health-interval", "200ms", "--health-retries", "2");
            Detached.Eventually(() => Health(name) == "healthy", TimeSpan.FromSeconds(10), () => $"never healthy: {anchor.Anchor(["inspect", name])}");
            Assert.Matches(@"^Up .* \(healthy\)$", anchor.Status(id));
            Assert.True(Listed("health=healthy", id));
            Assert.False(Listed("health=none", id));
            Assert.Equal("0", anchor.Ok("inspect", "-f", "{{.State.Health.FailingStreak}}", name).Out);
            Assert.Contains("fine", anchor.Ok("inspect", "-f", "{{json .State.Health.Log}}", name).Out);

            anchor.Ok("exec", name, "rm", "/tmp/ok");
            Detached.Eventually(() => Health(name) == "unhealthy", TimeSpan.FromSeconds(10), () => $"never unhealthy: {anchor.Anchor(["inspect", name])}");
            Assert.Matches(@"^Up .* \(unhealthy\)$", anchor.Status(id));
            Assert.True(Listed("health=unhealthy", id));
            Assert.False(Listed("health=healthy", id));
            Assert.True(int.Parse(anchor.Ok("inspect", "-f", "{{.State.Health.FailingStreak}}", name).Out) >= 2);
            // docker keeps the last five results.
            Thread.Sleep(1500);
            Assert.Equal("5", anchor.Ok("inspect", "-f", "{{len .State.Health.Log}}", name).Out);

            anchor.Ok("exec", name, "touch", "/tmp/ok");
            Detached.Eventually(() => Health(name) == "healthy", TimeSpan.FromSeconds(10), () => $"never healthy again: {anchor.Anchor(["inspect", name])}");
            Assert.Equal("0", anchor.Ok("inspect", "-f", "{{.State.Health.FailingStreak}}", name).Out);

            // Stopped: docker's monitor leaves the status unhealthy.
            anchor.Ok("stop", "-t", "1", name);
            Assert.Equal("unhealthy", Health(name));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Detached_ProbeOverItsTimeout_IsKilledAndRecordedAsDockerDoes()
    {
        var name = Detached.UniqueName("it-health-timeout");
        try
        {
            anchor.ShDetached(name, Detached.Forever,
                "--health-cmd", "sleep 5", "--health-interval", "100ms", "--health-timeout", "300ms", "--health-retries", "1");
            Detached.Eventually(() => Health(name) == "unhealthy", TimeSpan.FromSeconds(10), () => anchor.Anchor(["inspect", name]).ToString());
            var log = anchor.Ok("inspect", "-f", "{{range .State.Health.Log}}{{.ExitCode}} {{.Output}}|{{end}}", name).Out;
            Assert.StartsWith("-1 Health check exceeded timeout (300ms)|", log);
            // Killed probes are gone: at most the one under way runs (a new one starts every 100 ms).
            Assert.True(anchor.Ok("exec", name, "ps", "-o", "args").Out.Split('\n').Count(l => l.Trim() == "sleep 5") <= 1);
            Assert.Equal(
                """{"Test":["CMD-SHELL","sleep 5"],"Interval":100000000,"Timeout":300000000,"Retries":1}""",
                anchor.Ok("inspect", "-f", "{{json .Config.Healthcheck}}", name).Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Foreground_Run_IsCheckedByItsOwnAnchorProcess()
    {
        var name = Detached.UniqueName("it-health-fg");
        using var run = ProcessRunner.Start(anchor.Bin, [.. anchor.StoreArgs, "run", "--name", name, "--network", "none",
            "--health-cmd", "true", "--health-interval", "100ms", AnchorFixture.Image, "sleep", "3"]);
        try
        {
            Detached.Eventually(
                () => anchor.Anchor(["inspect", "-f", "{{.State.Health.Status}}", name]).Out == "healthy",
                TimeSpan.FromSeconds(10),
                () => anchor.Anchor(["inspect", name]).ToString());
            Assert.True(run.WaitForExit(15_000));
            Assert.Equal(0, run.ExitCode);
            Assert.Equal("unhealthy", Health(name));
            Assert.Equal("0", anchor.Ok("inspect", "-f", "{{.State.ExitCode}}", name).Out);
        }
        finally
        {
            if (!run.HasExited)
            {
                run.Kill(true);
            }

            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void NoHealthcheck_AndNoCheck_HaveNoHealthState()
    {
        var name = Detached.UniqueName("it-health-none");
        try
        {
            var id = anchor.ShDetached(name, Detached.Forever, "--no-healthcheck");
            Assert.Equal("""{"Test":["NONE"]}""", anchor.Ok("inspect", "-f", "{{json .Config.Healthcheck}}", name).Out);
            Assert.DoesNotContain("\"Health\"", anchor.Ok("inspect", name).Out);
            Assert.True(Listed("health=none", id));
            Assert.Matches(@"^Up [^(]*$", anchor.Status(id));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void ImageHealthcheck_RunsUnlessDisabled_FlagsOverrideItsFields()
    {
        var dir = Path.Combine(anchor.TempDir, "ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), "FROM busybox\nHEALTHCHECK --interval=200ms --retries=1 CMD test -e /tmp/ok\n");
        var tag = "health-image:" + Guid.NewGuid().ToString("N")[..8];
        var checkedByImage = Detached.UniqueName("it-health-img");
        var disabled = Detached.UniqueName("it-health-off");
        var overridden = Detached.UniqueName("it-health-over");
        try
        {
            var build = anchor.Anchor(["build", "-t", tag, dir], timeout: TimeSpan.FromSeconds(120));
            Assert.True(build.ExitCode == 0, build.ToString());
            var script = $"touch /tmp/ok; {Detached.Forever}";
            anchor.Ok("run", "-d", "--name", checkedByImage, "--network", "none", tag, "sh", "-c", script);
            anchor.Ok("run", "-d", "--name", disabled, "--network", "none", "--no-healthcheck", tag, "sh", "-c", script);
            anchor.Ok("run", "-d", "--name", overridden, "--network", "none", "--health-interval", "1h", tag, "sh", "-c", script);
            Detached.Eventually(() => Health(checkedByImage) == "healthy", TimeSpan.FromSeconds(10), () => anchor.Anchor(["inspect", checkedByImage]).ToString());
            Assert.Equal(
                """{"Test":["CMD-SHELL","test -e /tmp/ok"],"Interval":200000000,"Retries":1}""",
                anchor.Ok("inspect", "-f", "{{json .Config.Healthcheck}}", checkedByImage).Out);
            Assert.DoesNotContain("\"Health\"", anchor.Ok("inspect", disabled).Out);
            Assert.Equal(
                """{"Test":["CMD-SHELL","test -e /tmp/ok"],"Interval":3600000000000,"Retries":1}""",
                anchor.Ok("inspect", "-f", "{{json .Config.Healthcheck}}", overridden).Out);
            Assert.Equal("starting", Health(overridden));
        }
        finally
        {
            anchor.ForceRemove(checkedByImage, disabled, overridden);
            anchor.Anchor(["rmi", tag]);
        }
    }

    [Fact]
    public void BeforeTheFirstProbe_IsStarting()
    {
        var name = Detached.UniqueName("it-health-starting");
        try
        {
            var id = anchor.ShDetached(name, Detached.Forever, "--health-cmd", "true", "--health-interval", "1h");
            Assert.Equal("starting", Health(name));
            Assert.Matches(@"^Up .* \(health: starting\)$", anchor.Status(id));
            Assert.True(Listed("health=starting", id));
            Assert.Equal("0", anchor.Ok("inspect", "-f", "{{len .State.Health.Log}}", name).Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Theory]
    [InlineData(new[] { "--no-healthcheck", "--health-cmd", "true" }, "--no-healthcheck conflicts with --health-* options")]
    [InlineData(new[] { "--health-interval", "-1s" }, "--health-interval cannot be negative")]
    [InlineData(new[] { "--health-timeout", "soon" }, "invalid argument \"soon\" for \"--health-timeout\" flag: time: invalid duration \"soon\"")]
    [InlineData(new[] { "--health-interval", "10us" }, "Interval in Healthcheck cannot be less than 1ms")]
    public void BadHealthFlags_Fail125WithDockersMessage(string[] flags, string message)
    {
        var result = anchor.Anchor(["run", "--rm", .. flags, AnchorFixture.Image, "true"]);
        Assert.Equal(125, result.ExitCode);
        Assert.Contains(message, result.Err);
    }

    [Fact]
    public void PsFilter_UnknownHealthValue_FailsAsDocker()
    {
        var result = anchor.Anchor(["ps", "--filter", "health=sick"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Unrecognised filter value for health: sick", result.Err);
    }
}
