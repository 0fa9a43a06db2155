namespace Anchor.IntegrationTests;

/// <summary>--init with -t: docker-init as PID 1 in front of a command that owns the container's terminal.</summary>
[Collection(AnchorCollection.Name)]
public sealed class InitTtyTests(AnchorFixture anchor)
{
    [Fact]
    public void Init_WithTty_Pid1IsDockerInit_TheShellOwnsTheTerminal_ExitCodePasses()
    {
        // /proc/PID/stat: field 5 is the process group, field 8 the terminal's foreground group.
        const string Script = "tty; set -- $(cat /proc/$$/stat); [ \"$5\" = \"$8\" ] && echo foreground; tr '\\0' ' ' < /proc/1/cmdline; echo; exit 7";
        var run = anchor.Anchor(["run", "--rm", "-t", "--init", "--network", "none", AnchorFixture.Image, "sh", "-c", Script]);
        Assert.True(run.ExitCode == 7, run.ToString());
        var lines = run.Out.Split('\n');
        Assert.Equal("/dev/pts/0", lines[0]);
        Assert.Equal("foreground", lines[1]);
        Assert.Equal("/sbin/docker-init -- sh -c " + Script, lines[2].TrimEnd());
    }

    [Fact]
    public async Task Init_WithTty_ForwardsTermToTheShell()
    {
        const string Script = "trap 'echo got-term; exit 5' TERM; echo ready; while true; do sleep 0.1; done";
        using var process = ProcessRunner.Start(anchor.Bin, anchor.StoreArgs.Concat(["run", "--rm", "-t", "--init", "--network", "none", AnchorFixture.Image, "sh", "-c", Script]));
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            Assert.Equal("ready", (await process.StandardOutput.ReadLineAsync(timeout.Token))?.TrimEnd('\r'));
            // anchor run forwards SIGTERM to PID 1 (docker-init), which forwards it to the shell.
            ProcessRunner.Signal(process.Id, "TERM");
            var rest = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.Contains("got-term", rest, StringComparison.Ordinal);
            Assert.Equal(5, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
