namespace Anchor.IntegrationTests;

/// <summary>
/// containerd's own client and runc v2 shim drive anchor-runc (`ctr run --runc-binary`): the
/// container's output and exit code come back through the shim, a detached task is paused,
/// resumed, killed and deleted, and a -t task gets its pty through --console-socket.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class OciContainerdTests(AnchorFixture anchor)
{
    private string RuncLink()
    {
        var link = Path.Combine(anchor.TempDir, "bin", "anchor-runc");
        if (!File.Exists(link))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.CreateSymbolicLink(link, anchor.Bin);
        }

        return link;
    }

    private static string NewId() => "ctr-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public void CtrRun_WithAnchorRunc_PassesOutputAndExitCode()
    {
        using var containerd = new PrivateContainerd(anchor);
        var hi = containerd.Ctr("run", "--rm", "--runc-binary", RuncLink(), PrivateContainerd.Image, NewId(), "echo", "hi");
        Assert.True(hi.ExitCode == 0, hi.ToString());
        Assert.Equal("hi\n", hi.Stdout);

        var code = containerd.Ctr("run", "--rm", "--runc-binary", RuncLink(), PrivateContainerd.Image, NewId(), "sh", "-c", "echo to-stderr >&2; exit 5");
        Assert.True(code.ExitCode == 5, code.ToString());
        Assert.Contains("to-stderr", code.Stderr);
    }

    [Fact]
    public void CtrTask_Detached_PauseResumeKillDelete()
    {
        using var containerd = new PrivateContainerd(anchor);
        var id = NewId();
        var run = containerd.Ctr("run", "-d", "--runc-binary", RuncLink(), PrivateContainerd.Image, id, "sleep", "1000");
        Assert.True(run.ExitCode == 0, run.ToString());
        try
        {
            Assert.Matches($@"{id}\s+\d+\s+RUNNING", containerd.Ctr("task", "ls").Stdout);
            var exec = containerd.Ctr("task", "exec", "--exec-id", "e1", id, "sh", "-c", "cat /proc/1/comm; exit 6");
            Assert.True(exec.ExitCode == 6, exec.ToString());
            Assert.Equal("sleep\n", exec.Stdout);
            Assert.Equal(0, containerd.Ctr("task", "pause", id).ExitCode);
            Assert.Matches($@"{id}\s+\d+\s+PAUSED", containerd.Ctr("task", "ls").Stdout);
            Assert.Equal(0, containerd.Ctr("task", "resume", id).ExitCode);
            Assert.Matches($@"{id}\s+\d+\s+RUNNING", containerd.Ctr("task", "ls").Stdout);
            Assert.Equal(0, containerd.Ctr("task", "kill", "-s", "SIGKILL", id).ExitCode);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (!System.Text.RegularExpressions.Regex.IsMatch(containerd.Ctr("task", "ls").Stdout, $@"{id}\s+\d+\s+STOPPED"))
            {
                Assert.True(DateTime.UtcNow < deadline, "the killed task never showed STOPPED");
                Thread.Sleep(100);
            }
        }
        finally
        {
            containerd.Ctr("task", "delete", "--force", id);
            containerd.Ctr("container", "rm", id);
        }

        Assert.DoesNotContain(id, containerd.Ctr("task", "ls").Stdout);
    }

    [Fact]
    public void CtrRun_Terminal_GetsAPtyThroughTheConsoleSocket()
    {
        using var containerd = new PrivateContainerd(anchor);
        // ctr -t needs a terminal of its own: script(1) gives it one.
        var command = string.Join(' ', new[] { "ctr", "-a", containerd.Socket, "run", "-t", "--rm", "--runc-binary", RuncLink(), PrivateContainerd.Image, NewId(), "sh", "-c", "tty; exit 3" }.Select(ProcessRunner.ShellQuote));
        var result = ProcessRunner.Run("script", ["-qec", command, "/dev/null"], timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("/dev/pts/0", result.Stdout);
    }
}
