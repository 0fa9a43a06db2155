namespace Anchor.IntegrationTests;

/// <summary>
/// The order of stdout and stderr lines in the log, and the log of a foreground run: what
/// <c>docker logs</c> shows after a script that writes to both streams, detached or not.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class LogOrderTests(AnchorFixture anchor)
{
    /// <summary><c>anchor logs NAME 2&gt;&amp;1</c>: both streams in one pipe, in the order logs wrote them.</summary>
    private string Merged(string name)
    {
        var command = string.Join(' ', new[] { anchor.Bin }.Concat(anchor.StoreArgs).Concat(["logs", name]).Select(ProcessRunner.ShellQuote));
        var logs = ProcessRunner.Run("/bin/sh", ["-c", command + " 2>&1"]);
        Assert.True(logs.ExitCode == 0, logs.ToString());
        return logs.Out;
    }

    [Fact]
    public void Logs_TailOne_OfBackToBackMixedWrites_IsTheLastLineWritten() => anchor.WithExited(
        "it-logorder-tail",
        "echo a; echo b >&2; echo c; echo d >&2",
        (name, _) =>
        {
            // Whatever the relay found ready together, stdout is read before stderr in a round:
            // the last line written (d, on stderr) is the log's last, as in docker.
            var tail = anchor.Ok("logs", "--tail", "1", name);
            Assert.Equal("", tail.Out);
            Assert.Equal("d", tail.Err);
        });

    [Fact]
    public void Logs_MixedStreamsWithPauses_ComeOutInTheOrderWritten() => anchor.WithExited(
        "it-logorder",
        "for i in 1 2 3 4; do echo out$i; sleep 0.1; echo err$i >&2; sleep 0.1; done",
        (name, _) =>
        {
            Assert.Equal("out1\nerr1\nout2\nerr2\nout3\nerr3\nout4\nerr4", Merged(name));
            var tail = anchor.Ok("logs", "--tail", "3", name);
            Assert.Equal("out4", tail.Out);
            Assert.Equal("err3\nerr4", tail.Err);
        });

    [Fact]
    public void Run_Foreground_KeepsItsLog_LogsShowsTheOutput()
    {
        var name = Detached.UniqueName("it-fglog");
        try
        {
            var run = anchor.Anchor(["run", "--name", name, "--network", "none", AnchorFixture.Image, "sh", "-c", "echo out1; sleep 0.1; echo err1 >&2; sleep 0.1; echo out2; exit 3"]);
            // The run itself still shows both streams on its own stdout and stderr, and its exit code.
            Assert.Equal(3, run.ExitCode);
            Assert.Equal("out1\nout2", run.Out);
            Assert.Equal("err1", run.Err);

            var logs = anchor.Ok("logs", name);
            Assert.Equal("out1\nout2", logs.Out);
            Assert.Equal("err1", logs.Err);
            Assert.Equal("out1\nerr1\nout2", Merged(name));
            Assert.Equal("out2", anchor.Ok("logs", "--tail", "1", name).Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Run_Foreground_AttachStdoutOnly_StderrGoesToTheLogOnly()
    {
        var name = Detached.UniqueName("it-fglog-a");
        try
        {
            var run = anchor.Anchor(["run", "-a", "stdout", "--name", name, "--network", "none", AnchorFixture.Image, "sh", "-c", "echo shown; echo logged >&2"]);
            Assert.Equal(0, run.ExitCode);
            Assert.Equal("shown", run.Out);
            Assert.Equal("", run.Err);
            var logs = anchor.Ok("logs", name);
            Assert.Equal("shown", logs.Out);
            Assert.Equal("logged", logs.Err);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Run_ForegroundTty_KeepsTheTerminalOutputInItsLog()
    {
        var name = Detached.UniqueName("it-fglog-t");
        try
        {
            var run = anchor.Anchor(["run", "-t", "--name", name, "--network", "none", AnchorFixture.Image, "sh", "-c", "test -t 1 && echo on-a-tty"]);
            Assert.Equal(0, run.ExitCode);
            Assert.Equal("on-a-tty", run.Out);
            Assert.Equal("on-a-tty", anchor.Ok("logs", name).Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Run_ForegroundWithDriverNone_KeepsNothing()
    {
        var name = Detached.UniqueName("it-fglog-none");
        try
        {
            var run = anchor.Anchor(["run", "--log-driver", "none", "--name", name, "--network", "none", AnchorFixture.Image, "echo", "hidden"]);
            Assert.Equal("hidden", run.Out);
            var id = anchor.Ok("inspect", "-f", "{{.Id}}", name).Out;
            Assert.Empty(Directory.GetFiles(Path.Combine(anchor.Root, "containers", id), "*-json.log*"));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }
}
