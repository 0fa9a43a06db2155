namespace Anchor.IntegrationTests;

/// <summary>
/// A container starts one of two ways (docs/architecture.md, process model): spawned directly from
/// the thread that set it up, or through the re-executed `anchor init` stage (a terminal, a
/// monitor's pipes, ANCHOR_INIT_STAGE=1, or a kernel without procfs "pidns"). Both must give the
/// container the same view of itself.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class LaunchPathTests(AnchorFixture anchor)
{
    /// <summary>Facts about the container, one per line, identical whichever way it started.</summary>
    private const string Probe =
        "echo pid=$$; grep -E '^(CapEff|CapBnd|NoNewPrivs|Uid|Gid)' /proc/self/status; " +
        "ls -d /proc/[0-9]* > /tmp/procs; echo procs=$(wc -l < /tmp/procs); echo kcore=$(cat /proc/kcore 2>/dev/null | wc -c); echo keys=$(cat /proc/keys 2>/dev/null | wc -c); " +
        "echo sysrw=$(touch /proc/sys/kernel/x 2>/dev/null && echo yes || echo no); " +
        "echo host=$(hostname); echo cwd=$(pwd); echo fds=$(ls /proc/self/fd | wc -l); " +
        "grep -c '' /proc/self/mountinfo | sed 's/^/mounts=/'";

    private ProcessResult Run(bool initStage, params string[] args) =>
        ProcessRunner.Run(anchor.Bin, anchor.StoreArgs.Concat(["run", "--rm", "--network", "none", "--hostname", "probe"]).Concat(args), stdin: (string?)null,
            env: new Dictionary<string, string?> { ["ANCHOR_TRACE"] = "1", ["ANCHOR_INIT_STAGE"] = initStage ? "1" : null });

    [Theory]
    [InlineData("-w", "/tmp")]
    [InlineData("-u", "65534:65534")]
    [InlineData("--cap-drop", "ALL")]
    public void BothWays_TheContainerSeesTheSame(string flag, string value)
    {
        var direct = Run(initStage: false, flag, value, AnchorFixture.Image, "sh", "-c", Probe);
        var viaInit = Run(initStage: true, flag, value, AnchorFixture.Image, "sh", "-c", Probe);
        Assert.True(direct.ExitCode == 0, direct.ToString());
        Assert.True(viaInit.ExitCode == 0, viaInit.ToString());
        // Each really took its own way (ANCHOR_TRACE marks the phases).
        Assert.Contains("spawn: spawned", direct.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("init: main", direct.Err, StringComparison.Ordinal);
        Assert.Contains("init: main", viaInit.Err, StringComparison.Ordinal);
        Assert.Equal(viaInit.Out, direct.Out);
        Assert.Contains("pid=1", direct.Out, StringComparison.Ordinal);
        Assert.Contains("procs=1", direct.Out, StringComparison.Ordinal); // the shell expands the glob alone: nothing of the host
        Assert.Contains("kcore=0", direct.Out, StringComparison.Ordinal);
        Assert.Contains("keys=0", direct.Out, StringComparison.Ordinal);
        Assert.Contains("sysrw=no", direct.Out, StringComparison.Ordinal);
        Assert.Contains("host=probe", direct.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BothWays_ExitCodesAndCommandErrorsAreDockers(bool initStage)
    {
        Assert.Equal(7, Run(initStage, AnchorFixture.Image, "sh", "-c", "exit 7").ExitCode);
        var missing = Run(initStage, AnchorFixture.Image, "no-such-command-x");
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("no-such-command-x", missing.Err, StringComparison.Ordinal);
        var notExecutable = Run(initStage, AnchorFixture.Image, "/etc/passwd");
        Assert.Equal(126, notExecutable.ExitCode);
    }

    /// <summary>
    /// The spawned child is a copy of every descriptor of the CLI until it execs; holding a copy of
    /// the containers lock's descriptor at the gate once deadlocked the start (the CLI records the
    /// container as running under that lock while the gate is shut). Runs with a published port
    /// take the network store's lock in that stretch too.
    /// </summary>
    [Fact]
    public void Direct_RunsInARow_NeverHangAtTheGate()
    {
        for (var i = 0; i < 15; i++)
        {
            var options = i % 3 == 0 ? new[] { "-p", "127.0.0.1::80" } : [];
            var result = ProcessRunner.Run(anchor.Bin, anchor.StoreArgs.Concat(["run", "--rm"]).Concat(options).Concat([AnchorFixture.Image, "true"]), (string?)null, TimeSpan.FromSeconds(20));
            Assert.True(result.ExitCode == 0, $"run {i}: {result}");
        }
    }

    [Fact]
    public void Direct_LeavesNoGateNoMountAndNoContainer()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, Run(initStage: false, AnchorFixture.Image, "true").ExitCode);
        }

        Assert.Equal(127, Run(initStage: false, AnchorFixture.Image, "no-such-command-y").ExitCode);
        var gates = Path.Combine(anchor.RunRoot, "gates");
        Assert.True(!Directory.Exists(gates) || !Directory.EnumerateFileSystemEntries(gates).Any(), "a spawn gate was left in " + gates);
        anchor.AssertNoLeftovers();
    }
}
