namespace Anchor.IntegrationTests;

/// <summary><c>run -d --restart …</c>: the monitor brings the container back (or not) as docker does.</summary>
[Collection(AnchorCollection.Name)]
public sealed class RestartPolicyTests(AnchorFixture anchor)
{
    [Fact]
    public void OnFailureWithMax_RestartsNTimesThenStaysExited()
    {
        var name = Detached.UniqueName("it-onfail");
        try
        {
            var id = anchor.ShDetached(name, "echo run; exit 1", "--restart", "on-failure:2");

            // The first run plus two restarts: three lines in the log, then Exited (1) for good.
            Detached.Eventually(
                () => anchor.LogLines(name).Length >= 3 && anchor.Status(id)!.StartsWith("Exited (1)", StringComparison.Ordinal),
                TimeSpan.FromSeconds(12),
                () => $"logs: {string.Join('|', anchor.LogLines(name))}; status: {anchor.Status(id)}");
            Thread.Sleep(1500);
            Assert.Equal(["run", "run", "run"], anchor.LogLines(name));
            Assert.StartsWith("Exited (1)", anchor.Status(id));
            Assert.Empty(Detached.MonitorPids(id));
            Assert.Equal(1, anchor.WaitExit(name));
            Assert.Equal("2", anchor.Ok("inspect", "-f", "{{.RestartCount}}", name).Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void OnFailure_DoesNotRestartASuccessfulExit_NoPolicyDoesNotRestartAFailure()
    {
        var onFailure = Detached.UniqueName("it-onfail-ok");
        var none = Detached.UniqueName("it-norestart");
        try
        {
            var a = anchor.ShDetached(onFailure, "echo run; exit 0", "--restart", "on-failure");
            var b = anchor.ShDetached(none, "echo run; exit 1", "--restart", "no");
            Assert.Equal(0, anchor.WaitExit(onFailure));
            Assert.Equal(1, anchor.WaitExit(none));
            Thread.Sleep(1000);
            Assert.Equal(["run"], anchor.LogLines(onFailure));
            Assert.Equal(["run"], anchor.LogLines(none));
            Assert.StartsWith("Exited (0)", anchor.Status(a));
            Assert.StartsWith("Exited (1)", anchor.Status(b));
        }
        finally
        {
            anchor.ForceRemove(onFailure, none);
        }
    }

    [Theory]
    [InlineData("always")]
    [InlineData("unless-stopped")]
    public void AlwaysAndUnlessStopped_BringBackASuccessfulExit_StopKeepsItStopped(string policy)
    {
        var name = Detached.UniqueName("it-always");
        try
        {
            // The first run exits 0 at once; the second (the rootfs remembers /ran) keeps running until TERM.
            var id = anchor.ShDetached(name, $"echo run; if [ -e /ran ]; then trap 'exit 0' TERM; {Detached.Forever}; fi; touch /ran", "--restart", policy);
            Detached.Eventually(
                () => anchor.LogLines(name).Length >= 2,
                TimeSpan.FromSeconds(10),
                () => $"--restart {policy} did not restart a container that exited 0; logs: {string.Join('|', anchor.LogLines(name))}; status: {anchor.Status(id)}");

            // Once it is running again, a user's stop is final.
            Detached.Eventually(() => anchor.IsListedAsRunning(id), TimeSpan.FromSeconds(5), () => $"not running again: {anchor.Status(id)}");
            anchor.Ok("stop", "-t", "2", name);
            var runs = anchor.LogLines(name).Length;
            Thread.Sleep(1500);
            Assert.False(anchor.IsListedAsRunning(id), $"--restart {policy} brought back a stopped container: {anchor.Status(id)}");
            Assert.StartsWith("Exited", anchor.Status(id));
            Assert.Equal(runs, anchor.LogLines(name).Length);
            Assert.Empty(Detached.MonitorPids(id));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Always_RestartsAfterAFailureToo_AndRmForceEndsIt()
    {
        var name = Detached.UniqueName("it-always-fail");
        try
        {
            var id = anchor.ShDetached(name, "echo run; sleep 0.2; exit 2", "--restart", "always");
            Detached.Eventually(() => anchor.LogLines(name).Length >= 3, TimeSpan.FromSeconds(12), () => $"logs: {string.Join('|', anchor.LogLines(name))}; status: {anchor.Status(id)}");
            anchor.Ok("rm", "-f", name);
            Assert.DoesNotContain(id, anchor.ContainerIds());
            Detached.Eventually(() => Detached.MonitorPids(id).Count == 0 && Detached.CgroupsOf(id).Count == 0, TimeSpan.FromSeconds(3), () => "monitor or cgroup left after rm -f");
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void OnFailure_BetweenRuns_PsShowsRestartingWithTheExitCode()
    {
        var name = Detached.UniqueName("it-restarting");
        try
        {
            var id = anchor.ShDetached(name, "exit 1", "--restart", "on-failure:5");
            string? status = null;
            Detached.Eventually(() => (status = anchor.Status(id))?.StartsWith("Restarting", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(5), () => $"never Restarting: {status}");
            Assert.Matches(@"^Restarting \(1\) .+ ago$", status);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Stop_WhileWaitingToRestart_CancelsTheRestarts()
    {
        var name = Detached.UniqueName("it-stop-restarting");
        try
        {
            var id = anchor.ShDetached(name, "echo run; exit 1", "--restart", "on-failure:20");
            Detached.Eventually(() => anchor.LogLines(name).Length >= 3, TimeSpan.FromSeconds(8), () => $"not restarted: {anchor.Status(id)}");
            anchor.Ok("stop", name);
            var runs = anchor.LogLines(name).Length;
            Thread.Sleep(1500);
            Assert.Equal(runs, anchor.LogLines(name).Length);
            Assert.StartsWith("Exited (1)", anchor.Status(id));
            Assert.Empty(Detached.MonitorPids(id));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("on-failure:x")]
    [InlineData("always:3")]
    public void InvalidPolicy_Fails125AndCreatesNothing(string policy)
    {
        var before = anchor.ContainerIds();
        var name = Detached.UniqueName("it-badpolicy");
        var run = anchor.Anchor(["run", "-d", "--name", name, "--restart", policy, AnchorFixture.Image, "true"]);
        try
        {
            Assert.True(run.ExitCode == 125, run.ToString());
            Assert.False(string.IsNullOrWhiteSpace(run.Stderr), "no error message");
            Assert.Equal(before.OrderBy(x => x), anchor.ContainerIds().OrderBy(x => x));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }
}
