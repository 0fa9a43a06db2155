namespace Anchor.IntegrationTests;

/// <summary>
/// `run --runtime` the other way round from anchor-runc (issue 15): Debian's runc started by
/// Anchor's monitor from an OCI bundle Anchor writes, with Anchor's stdio, log, stop and rm; the
/// runtimes table (ANCHOR_CONFIG) with a wrapper that records the runtime commands it is given;
/// dockerd's error for an unknown name; HostConfig.Runtime through the API.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class RuntimeFlagTests(AnchorFixture anchor)
{
    private const string Runc = "/usr/sbin/runc";

    private string RuncState => Path.Combine(anchor.RunRoot, "runtimes", "runc");

    [Fact]
    public void RunRm_RuntimeRunc_PassesOutputAndExitCodeAndLeavesNothing()
    {
        var run = anchor.RunRm(["--runtime", "runc", "--network", "none"], "sh", "-c", "echo out; echo err >&2; cat /proc/1/cmdline; exit 3");
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Equal("out\nsh\0-c\0echo out; echo err >&2; cat /proc/1/cmdline; exit 3\0", run.Stdout);
        Assert.Equal("err\n", run.Stderr);
        Assert.Empty(anchor.ContainerIds());
        var list = ProcessRunner.Run(Runc, ["--root", RuncState, "list", "-q"]);
        Assert.True(list.ExitCode == 0 && list.Out.Length == 0, list.ToString());
        anchor.AssertNoLeftovers();
    }

    [Fact]
    public void RunRm_RuntimeRuncWithStdin_ReadsIt()
    {
        var run = anchor.Anchor(["run", "--rm", "-i", "--runtime", Runc, "--network", "none", AnchorFixture.Image, "sh", "-c", "cat; echo done"], "piped in\n");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("piped in\ndone\n", run.Stdout);
    }

    [Fact]
    public void RunRm_RuntimeRuncWithTty_RunsOnThePtyTheConsoleSocketBrought()
    {
        var run = anchor.RunRm(["-t", "--runtime", "runc", "--network", "none"], "sh", "-c", "tty; echo on the pty; exit 2");
        Assert.True(run.ExitCode == 2, run.ToString());
        // The pty's line discipline turns \n into \r\n: the output went through the terminal runc opened.
        Assert.Equal("/dev/pts/0\r\non the pty\r\n", run.Stdout);
        Assert.Empty(Directory.EnumerateFiles(anchor.RunRoot, "console-*"));
        anchor.AssertNoLeftovers();
    }

    [Fact]
    public void RunDetached_RuntimeRunc_RuncOwnsItLogsStopAndRmForce()
    {
        var name = Detached.UniqueName("rt");
        var other = Detached.UniqueName("rt");
        try
        {
            var id = anchor.ShDetached(name, "echo started; trap 'echo bye; exit 0' TERM; while true; do sleep 0.1; done", "--runtime", "runc", "--network", "none");
            Assert.Equal("runc", anchor.Ok("inspect", "-f", "{{.HostConfig.Runtime}}", name).Out);
            var pid = anchor.Ok("inspect", "-f", "{{.State.Pid}}", name).Out;
            // runc's own record of it: running, with the pid Anchor shows.
            var state = ProcessRunner.Run(Runc, ["--root", RuncState, "state", id]);
            Assert.True(state.ExitCode == 0, state.ToString());
            Assert.Contains("\"status\": \"running\"", state.Stdout);
            Assert.Contains($"\"pid\": {pid},", state.Stdout);
            Detached.Eventually(() => anchor.Anchor(["logs", name]).Stdout == "started\n", TimeSpan.FromSeconds(10), () => anchor.Anchor(["logs", name]).ToString());

            anchor.Ok("stop", name);
            Assert.Equal("started\nbye\n", anchor.Ok("logs", name).Stdout);
            Assert.Equal("exited 0", anchor.Ok("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name).Out);
            // The runtime forgot it once it exited.
            Assert.NotEqual(0, ProcessRunner.Run(Runc, ["--root", RuncState, "state", id]).ExitCode);
            anchor.Ok("rm", name);

            var second = anchor.RunDetached(other, ["--runtime", "runc", "--network", "none"], "sleep", "100");
            var sleeper = int.Parse(anchor.Ok("inspect", "-f", "{{.State.Pid}}", other).Out, System.Globalization.CultureInfo.InvariantCulture);
            anchor.Ok("rm", "-f", other);
            Assert.False(Detached.IsAlive(sleeper), "the container's process survived rm -f");
            Assert.NotEqual(0, ProcessRunner.Run(Runc, ["--root", RuncState, "state", second]).ExitCode);
            anchor.AssertNoLeftovers();
        }
        finally
        {
            anchor.ForceRemove(name, other);
        }
    }

    [Fact]
    public void Run_RuntimeFromTable_UsesItsPathAndRuntimeArgs()
    {
        var dir = Path.Combine(anchor.TempDir, "rt-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var calls = Path.Combine(dir, "calls");
        var wrapper = Path.Combine(dir, "logged-runc");
        File.WriteAllText(wrapper, $"#!/bin/sh\necho \"$*\" >> {calls}\nexec {Runc} \"$@\"\n");
        File.SetUnixFileMode(wrapper, (UnixFileMode)0x1ED); // 0755
        var config = Path.Combine(dir, "config.json");
        File.WriteAllText(config, $$$"""{"runtimes": {"logged": {"path": "{{{wrapper}}}", "runtimeArgs": ["--debug"]} } }""");
        var env = new Dictionary<string, string?> { ["ANCHOR_CONFIG"] = config };

        var run = ProcessRunner.Run(anchor.Bin, [.. anchor.StoreArgs, "run", "--rm", "--runtime", "logged", "--network", "none", AnchorFixture.Image, "echo", "via table"], env: env);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("via table\n", run.Stdout);
        var commands = File.ReadAllLines(calls).Select(l => l.Split(' ')).ToList();
        // Every call starts with the table's runtimeArgs, then Anchor's --root; create, start, delete in that order.
        Assert.All(commands, c => Assert.Equal(["--debug", "--root"], c[..2]));
        var verbs = commands.Select(c => c[Array.IndexOf(c, "json") + 1]).ToList();
        Assert.Equal(["delete", "create", "start", "delete"], verbs);

        var unknown = ProcessRunner.Run(anchor.Bin, [.. anchor.StoreArgs, "run", "--rm", "--runtime", "nope", AnchorFixture.Image, "true"], env: env);
        Assert.Equal(125, unknown.ExitCode);
        Assert.Equal("anchor: Error response from daemon: unknown or invalid runtime name: nope.\nSee 'anchor run --help'.", unknown.Err);
        anchor.AssertNoLeftovers();
    }

    [Fact]
    public void Run_RuntimeRuncMissingCommand_DockersErrorAnd127()
    {
        var run = anchor.RunRm(["--runtime", "runc", "--network", "none"], "no-such-command");
        Assert.Equal(127, run.ExitCode);
        Assert.Contains("failed to create shim task: OCI runtime create failed: ", run.Stderr);
        Assert.Contains("exec: \"no-such-command\": executable file not found in $PATH: unknown", run.Stderr);
        Assert.Empty(anchor.ContainerIds());
        anchor.AssertNoLeftovers();
    }

    [Fact]
    public void CreateThenStartAttached_RuntimeRunc_RunsWithRunc()
    {
        var name = Detached.UniqueName("rtc");
        try
        {
            anchor.Ok("create", "--name", name, "--runtime", "runc", "--network", "none", AnchorFixture.Image, "echo", "created then started");
            Assert.Equal("runc", anchor.Ok("inspect", "-f", "{{.HostConfig.Runtime}}", name).Out);
            var start = anchor.Anchor(["start", "-a", name]);
            Assert.True(start.ExitCode == 0, start.ToString());
            Assert.Equal("created then started\n", start.Stdout);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void ApiCreate_HostConfigRuntime_RunsWithRunc()
    {
        using var api = new ServedApi(anchor);
        var run = api.Docker("run", "--rm", "--runtime", "runc", "--network", "none", AnchorFixture.Image, "sh", "-c", "echo through the api; exit 5");
        Assert.True(run.ExitCode == 5, run.ToString());
        Assert.Equal("through the api\n", run.Stdout);
        var unknown = api.Docker("run", "--rm", "--runtime", "nope", AnchorFixture.Image, "true");
        Assert.Equal(125, unknown.ExitCode);
        Assert.Contains("Error response from daemon: unknown or invalid runtime name: nope", unknown.Stderr);
    }
}
