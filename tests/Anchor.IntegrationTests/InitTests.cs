using System.Diagnostics;

namespace Anchor.IntegrationTests;

/// <summary>--init: docker-init as PID 1, reaping orphans and forwarding signals, inside the container's confinement.</summary>
[Collection(AnchorCollection.Name)]
public sealed class InitTests(AnchorFixture anchor)
{
    /// <summary>100 orphans (each `sleep` outlives its subshell), then PID 1's child becomes a `sleep` that never waits.</summary>
    private const string Orphans = "for i in $(seq 100); do (sleep 3 &); done; exec sleep 60";

    private int Zombies(string name) =>
        int.Parse(anchor.Anchor(["exec", name, "sh", "-c", "cat /proc/[0-9]*/status 2>/dev/null | grep -c zombie"]).Out);

    [Fact]
    public void Init_HundredOrphans_AreReaped_WithoutInitTheyStayZombies()
    {
        var withInit = Detached.UniqueName("it-init-reap");
        var without = Detached.UniqueName("it-noinit-reap");
        try
        {
            anchor.RunDetached(withInit, ["--init", "--network", "none"], "sh", "-c", Orphans);
            anchor.RunDetached(without, ["--network", "none"], "sh", "-c", Orphans);
            // The control: with `sleep` as PID 1 nobody reaps, so the test can tell.
            Detached.Eventually(() => Zombies(without) == 100, TimeSpan.FromSeconds(20), () => $"zombies without --init: {Zombies(without)}");
            Assert.Equal(0, Zombies(withInit));
            // PID 1 is docker-init, with the user's command behind it.
            Assert.Equal("/sbin/docker-init -- sh -c " + Orphans, anchor.Ok("exec", withInit, "sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline").Out.TrimEnd());
        }
        finally
        {
            anchor.ForceRemove(withInit, without);
        }
    }

    [Fact]
    public void Init_Stop_ForwardsTermToTheChild_AndItsStatusIsTheContainers()
    {
        var name = Detached.UniqueName("it-init-stop");
        try
        {
            anchor.RunDetached(name, ["--init", "--network", "none"], "sleep", "60");
            var watch = Stopwatch.StartNew();
            anchor.Ok("stop", "-t", "10", name);
            // sleep as PID 1 ignores SIGTERM (no handler) and would be killed after 10 s with 137.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"stop took {watch.Elapsed}");
            Assert.Equal("143", anchor.Ok("inspect", "-f", "{{.State.ExitCode}}", name).Out);
            Assert.Equal("true", anchor.Ok("inspect", "-f", "{{.HostConfig.Init}}", name).Out);
            Assert.Equal("sleep [60]", anchor.Ok("inspect", "-f", "{{.Path}} {{.Args}}", name).Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Init_ExitCodeOfTheChild_IsTheRunsExitCode()
    {
        var result = anchor.RunRm(["--init", "--network", "none"], "sh", "-c", "echo out; exit 7");
        Assert.Equal(7, result.ExitCode);
        Assert.Equal("out", result.Out);
        Assert.Equal(127, anchor.RunRm(["--init", "--network", "none"], "no-such-command").ExitCode);
    }

    [Fact]
    public void Init_RunsConfinedAndReadOnly()
    {
        var script = "grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/1/status; echo x > /sbin/docker-init || echo refused";
        var init = anchor.RunRm(["--init", "--network", "none", "--security-opt", "no-new-privileges"], "sh", "-c", script);
        Assert.Equal(0, init.ExitCode);
        var plain = anchor.RunRm(["--network", "none", "--security-opt", "no-new-privileges"], "sh", "-c", "grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/1/status");
        // PID 1 (docker-init) has exactly the confinement the container's command would have.
        Assert.StartsWith(plain.Out, init.Out);
        Assert.Contains("Seccomp:\t2", init.Out);
        Assert.Contains("NoNewPrivs:\t1", init.Out);
        Assert.EndsWith("refused", init.Out);
        Assert.Contains("Read-only file system", init.Err);
    }
}
