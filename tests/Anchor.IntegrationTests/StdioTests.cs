namespace Anchor.IntegrationTests;

/// <summary>stdin (-i), pseudo-terminals (-t) and signal forwarding.</summary>
[Collection(AnchorCollection.Name)]
public sealed class StdioTests(AnchorFixture anchor)
{
    [Fact]
    public void Run_WithoutInteractive_StdinIsDevNull()
    {
        var result = anchor.Anchor(["run", "--rm", AnchorFixture.Image, "cat"], stdin: "should not be read\n");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void Run_WithoutInteractive_StdinIsTheNullDevice()
    {
        // /proc/self/fd/0 -> /dev/null, not a pipe from the caller.
        var output = anchor.ShOk("readlink /proc/self/fd/0");
        Assert.Equal("/dev/null", output);
    }

    [Fact]
    public void Run_Interactive_PassesStdin()
    {
        var data = "line one\nline two\n";
        var result = anchor.Anchor(["run", "--rm", "-i", AnchorFixture.Image, "cat"], stdin: data);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(data, result.Stdout);
    }

    [Fact]
    public void Run_Interactive_PassesLargeStdin()
    {
        var data = string.Concat(Enumerable.Repeat("0123456789abcdef", 64 * 1024)); // 1 MiB
        var result = anchor.Anchor(["run", "--rm", "-i", AnchorFixture.Image, "wc", "-c"], stdin: data);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(data.Length.ToString(), result.Out.Trim());
    }

    [Fact]
    public void Run_StdoutAndStderr_AreSeparate()
    {
        var result = anchor.Sh("echo out; echo err >&2");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("out", result.Out);
        Assert.Equal("err", result.Err);
    }

    [Fact]
    public void Run_Tty_StdoutIsATerminal()
    {
        var result = anchor.Sh("test -t 1 && echo isatty", "-t");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("isatty", result.Out.Trim());
    }

    [Fact]
    public void Run_WithoutTty_StdoutIsNotATerminal()
    {
        var result = anchor.Sh("test -t 1 && echo isatty || echo notatty");
        Assert.Equal("notatty", result.Out);
    }

    [Fact]
    public async Task Run_InteractiveTtyUnderScript_IsDevPts0()
    {
        var command = string.Join(' ', new[] { anchor.Bin }.Concat(anchor.StoreArgs).Concat(["run", "--rm", "-it", AnchorFixture.Image, "tty"]).Select(ProcessRunner.ShellQuote));
        var result = await ScriptTerminal.Run(command, TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("/dev/pts/0", result.Stdout);
    }

    [Fact]
    public async Task Run_SigtermToAnchor_IsForwardedToTheContainer()
    {
        var args = anchor.StoreArgs.Concat(["run", "--rm", AnchorFixture.Image, "sh", "-c", "trap 'exit 7' TERM; echo ready; while true; do sleep 0.1; done"]).ToList();
        using var process = ProcessRunner.Start(anchor.Bin, args);
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using (var start = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
            {
                var ready = await process.StandardOutput.ReadLineAsync(start.Token);
                Assert.Equal("ready", ready);
            }

            await Task.Delay(300);
            ProcessRunner.Signal(process.Id, "TERM");
            using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            {
                try
                {
                    await process.WaitForExitAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail("anchor did not exit within 5 s of SIGTERM");
                }
            }

            Assert.True(process.ExitCode == 7, $"exit code {process.ExitCode}; stderr: {await stderr}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        anchor.AssertNoLeftovers();
    }
}
