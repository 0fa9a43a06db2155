namespace Anchor.IntegrationTests;

/// <summary>
/// What docker 20.10 prints and returns for the invocations the comparison suite found different
/// (tests/compare): run's --sig-proxy/--detach-keys/--isolation/--userns, the daemon's checks,
/// resolv.conf's order, /.dockerenv, imported images' history, load -q, create's exit codes and
/// the CLI's usage errors.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class DockerShapeTests(AnchorFixture anchor)
{
    private static readonly string[] NoNet = ["--network", "none"];

    [Fact]
    public void Run_AcceptsSigProxyDetachKeysIsolationDefaultAndUsernsHost()
    {
        Assert.Equal("ok", anchor.RunRm([.. NoNet, "--sig-proxy=false", "--detach-keys", "ctrl-x", "--isolation", "default", "--userns", "host"], "echo", "ok").Out);
        var name = Detached.UniqueName("isolation");
        try
        {
            Assert.Equal(64, anchor.Ok("create", "--name", name, "--isolation", "default", "--userns", "host", AnchorFixture.Image, "true").Out.Length);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Run_IsolationAndUsernsOtherValues_AreDockersErrors()
    {
        var isolation = anchor.RunRm([.. NoNet, "--isolation", "hyperv"], "true");
        Assert.Equal(125, isolation.ExitCode);
        Assert.Equal("anchor: Error response from daemon: Invalid isolation: \"hyperv\" - linux only supports 'default'.\nSee 'anchor run --help'.", isolation.Err);
        var userns = anchor.RunRm([.. NoNet, "--userns", "nosuch"], "true");
        Assert.Equal(125, userns.ExitCode);
        Assert.Contains("--userns: invalid USER mode", userns.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UtsHostWithHostname_Conflicts()
    {
        var run = anchor.RunRm([.. NoNet, "--uts", "host", "-h", "x"], "true");
        Assert.Equal(125, run.ExitCode);
        Assert.Equal("anchor: Error response from daemon: conflicting options: hostname and the UTS mode.\nSee 'anchor run --help'.", run.Err);
    }

    [Fact]
    public void Run_CpusAboveTheHosts_IsTheDaemonsRangeError()
    {
        var run = anchor.RunRm([.. NoNet, "--cpus", "1000"], "true");
        var n = Environment.ProcessorCount;
        Assert.Equal(125, run.ExitCode);
        Assert.Contains($"Range of CPUs is from 0.01 to {n}.00, as there are only {n} CPUs available.", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_DnsFlags_SearchThenNameserverThenOptions()
    {
        Assert.Equal("search example.com\nnameserver 10.1.1.1\noptions ndots:2",
            anchor.RunRm([.. NoNet, "--dns-search", "example.com", "--dns-option", "ndots:2", "--dns", "10.1.1.1"], "cat", "/etc/resolv.conf").Out);
    }

    [Fact]
    public void Run_ADirectory_IsPermissionDenied126()
    {
        var run = anchor.RunRm(NoNet, "/etc");
        Assert.Equal(126, run.ExitCode);
        Assert.Contains("exec: \"/etc\": permission denied", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Container_HasAnEmptyDockerenv_NotInDiffOrCommit()
    {
        Assert.Equal("0 755", anchor.Sh("stat -c '%s %a' /.dockerenv", NoNet).Out);
        var name = Detached.UniqueName("dockerenv");
        try
        {
            anchor.Ok("create", "--name", name, "--network", "none", AnchorFixture.Image, "true");
            Assert.DoesNotContain(".dockerenv", anchor.Ok("diff", name).Out, StringComparison.Ordinal);
            Assert.Contains(".dockerenv", anchor.Ok("export", name).Stdout, StringComparison.Ordinal);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Exec_MissingCommand_WritesRuncsErrorToStdout126()
    {
        var name = Detached.UniqueName("execmiss");
        try
        {
            anchor.RunDetached(name, NoNet, "sleep", "30");
            var exec = anchor.Anchor(["exec", name, "nosuchcmd"]);
            Assert.Equal(126, exec.ExitCode);
            Assert.Equal("OCI runtime exec failed: exec failed: unable to start container process: exec: \"nosuchcmd\": executable file not found in $PATH: unknown", exec.Out);
            Assert.Equal("", exec.Err);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void ImportedImage_HistoryHasNoCreatedByAndDockersComment()
    {
        Assert.Equal("|Imported from -", anchor.Ok("history", "--format", "{{.CreatedBy}}|{{.Comment}}", AnchorFixture.Image).Out);
        Assert.Equal("Imported from -", anchor.Ok("inspect", "--format", "{{.Comment}}", AnchorFixture.Image).Out);
    }

    [Fact]
    public void LoadQuiet_StillPrintsLoadedImage()
    {
        var tar = Path.Combine(Path.GetTempPath(), $"shape-save-{Guid.NewGuid():N}.tar");
        try
        {
            anchor.Ok("save", "-o", tar, AnchorFixture.Image);
            Assert.Equal("Loaded image: busybox:latest", anchor.Ok("load", "-q", "-i", tar).Out);
        }
        finally
        {
            File.Delete(tar);
        }
    }

    [Fact]
    public void Create_DaemonSideErrors_Exit1WithoutPrefixOrHint()
    {
        var restart = anchor.Anchor(["create", "--restart", "sometimes", "--network", "none", AnchorFixture.Image, "true"]);
        Assert.Equal(1, restart.ExitCode);
        Assert.Equal("Error response from daemon: invalid restart policy 'sometimes'", restart.Err);
        var negative = anchor.Anchor(["create", "--restart", "on-failure:-1", "--network", "none", AnchorFixture.Image, "true"]);
        Assert.Equal(1, negative.ExitCode);
        Assert.Equal("Error response from daemon: maximum retry count cannot be negative", negative.Err);
        var run = anchor.RunRm(["--restart", "sometimes", .. NoNet], "true");
        Assert.Equal(125, run.ExitCode);
        Assert.Equal("anchor: Error response from daemon: invalid restart policy 'sometimes'.\nSee 'anchor run --help'.", run.Err);
    }

    [Fact]
    public void Cli_UsageLinesAndExtraArguments_AsDocker()
    {
        var rm = anchor.Anchor(["rm"]);
        Assert.Equal(1, rm.ExitCode);
        Assert.Contains("Usage:  anchor rm [OPTIONS] CONTAINER [CONTAINER...]", rm.Err, StringComparison.Ordinal);
        Assert.Contains("Usage:  anchor commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]", anchor.Anchor(["commit"]).Err, StringComparison.Ordinal);
        var ps = anchor.Anchor(["ps", "extra"]);
        Assert.Equal(1, ps.ExitCode);
        Assert.Equal("\"anchor ps\" accepts no arguments.\nSee 'anchor ps --help'.\n\nUsage:  anchor ps [OPTIONS]\n\nList containers", ps.Err);
        var images = anchor.Anchor(["images", "a", "b"]);
        Assert.Equal(1, images.ExitCode);
        Assert.StartsWith("\"anchor images\" requires at most 1 argument.", images.Err, StringComparison.Ordinal);
        var group = anchor.Anchor(["container", "frobnicate"]);
        Assert.Equal(1, group.ExitCode);
        Assert.StartsWith("\nUsage:  anchor container COMMAND\n\nManage containers\n\nCommands:\n  attach ", group.Stderr, StringComparison.Ordinal);
    }
}
