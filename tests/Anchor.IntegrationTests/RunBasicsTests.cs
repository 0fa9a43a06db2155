namespace Anchor.IntegrationTests;

/// <summary>docker run's basics: output, exit status, entrypoint, PID 1, the process view, hostname.</summary>
[Collection(AnchorCollection.Name)]
public sealed class RunBasicsTests(AnchorFixture anchor)
{
    [Fact]
    public void Run_EchoHello_PrintsIt()
    {
        var result = anchor.RunRm("echo", "hello");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hello", result.Out);
    }

    [Fact]
    public void Run_ExitStatus_IsTheContainers()
    {
        var result = anchor.Sh("exit 3");
        Assert.True(result.ExitCode == 3, result.ToString());
    }

    [Fact]
    public void Run_Entrypoint_ReplacesTheCommand()
    {
        var result = anchor.Anchor(["run", "--rm", "--entrypoint", "echo", AnchorFixture.Image, "hi"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hi", result.Out);
    }

    [Fact]
    public void Run_ArgumentsAfterImage_AreTheCommandsNotAnchors()
    {
        // docker: everything after the image belongs to the command, even things that look like flags.
        var result = anchor.RunRm("echo", "--rm", "-e", "X=1");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("--rm -e X=1", result.Out);
    }

    [Fact]
    public void Run_Command_IsPid1()
    {
        Assert.Equal("1", anchor.ShOk("echo $$"));
    }

    [Fact]
    public void Run_Proc_ShowsOnlyTheContainersProcesses()
    {
        var hostCount = Directory.EnumerateDirectories("/proc").Count(d => Path.GetFileName(d).All(char.IsAsciiDigit));
        Assert.True(hostCount > 3, $"the host shows only {hostCount} processes?");
        var count = int.Parse(anchor.ShOk("ls /proc | grep -c '^[0-9]'"));
        Assert.InRange(count, 1, 3);
    }

    [Fact]
    public void Run_DefaultHostname_IsTwelveHexDigitsNotTheHosts()
    {
        var hostname = anchor.ShOk("hostname");
        Assert.Matches(AnchorFixture.ShortId(), hostname);
        Assert.NotEqual(AnchorFixture.HostHostname(), hostname);
    }

    [Fact]
    public void Run_DefaultHostname_IsTheContainerIdPrefix()
    {
        var name = "it-hostname-" + Guid.NewGuid().ToString("N")[..8];
        var run = anchor.Anchor(["run", "--name", name, AnchorFixture.Image, "hostname"]);
        try
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            var ids = anchor.ContainerIds();
            Assert.Contains(ids, id => id.StartsWith(run.Out, StringComparison.Ordinal));
        }
        finally
        {
            anchor.Anchor(["rm", "-f", name]);
        }
    }

    [Fact]
    public void Run_HostnameFlag_SetsHostnameAndEtcHostname()
    {
        var output = anchor.ShOk("hostname; cat /etc/hostname", "--hostname", "web1");
        Assert.Equal("web1\nweb1", output);
    }

    /// <summary>docker's run and create take -h as --hostname; only --help asks for help there.</summary>
    [Fact]
    public void Run_ShortHostnameFlag_SetsHostname()
    {
        Assert.Equal("web2", anchor.ShOk("hostname", "-h", "web2"));
        var help = anchor.Anchor(["run", "--help"]);
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("--hostname", help.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_DefaultHostname_MatchesEtcHostname()
    {
        var lines = anchor.ShOk("hostname; cat /etc/hostname").Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal(lines[0], lines[1]);
    }

    [Fact]
    public void Run_Cpus_IsAcceptedAndRuns()
    {
        var result = anchor.RunRm(["--cpus", "0.5"], "echo", "ok");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("ok", result.Out);
    }
}
