namespace Anchor.IntegrationTests;

/// <summary>
/// Where docker 20.10 and Anchor differed in what users see (issue 12, "Different today"): exit
/// codes, error text, ps columns, inspect templates, rmi -f, history. Each expectation is docker's
/// output with "anchor" for "docker".
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class DockerParityTests(AnchorFixture anchor)
{
    /// <summary>docker --version, also after global options: one line and 0.</summary>
    [Fact]
    public void VersionFlag_AfterGlobalOptions_PrintsOneLine()
    {
        var result = anchor.Anchor(["--version"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^Anchor version [0-9][^\s,]*(, build [0-9a-f]{7})?$", result.Out);
    }

    [Fact]
    public void UnknownVerb_Exits1_NotADockerCommand()
    {
        var result = anchor.Anchor(["frobnicate"]);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("anchor: 'frobnicate' is not a anchor command.\nSee 'anchor --help'", result.Err);
    }

    [Fact]
    public void Run_WithoutArguments_Exits1_RequiresAtLeastOne()
    {
        var result = anchor.Anchor(["run"]);
        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Err.Split('\n');
        Assert.Equal("\"anchor run\" requires at least 1 argument.", lines[0]);
        Assert.Equal("See 'anchor run --help'.", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("Usage:  anchor run [OPTIONS] IMAGE [COMMAND] [ARG...]", StringComparison.Ordinal));
    }

    [Fact]
    public void Exec_WithOneArgument_Exits1_RequiresAtLeastTwo()
    {
        var result = anchor.Anchor(["exec", "whatever"]);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("\"anchor exec\" requires at least 2 arguments.\nSee 'anchor exec --help'.", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownFlag_Exits125_FlagErrorWithHint()
    {
        var result = anchor.Anchor(["run", "--bogus", AnchorFixture.Image, "true"]);
        Assert.True(result.ExitCode == 125, result.ToString());
        Assert.Equal("unknown flag: --bogus\nSee 'anchor run --help'.", result.Err);
    }

    [Fact]
    public void Run_UnknownUser_Exits125_DaemonStartFailureWithoutHint()
    {
        // docker 20.10's daemon resolves -u as it starts the container (tests/compare run.user.bad).
        var result = anchor.RunRm(["-u", "nosuchuser"], "true");
        Assert.True(result.ExitCode == 125, result.ToString());
        Assert.Equal("anchor: Error response from daemon: unable to find user nosuchuser: no matching entries in passwd file.", result.Err);
    }

    [Fact]
    public void Run_MissingCommand_Exits127_StartFailureWithoutHint()
    {
        var result = anchor.RunRm("nosuchcmd");
        Assert.True(result.ExitCode == 127, result.ToString());
        Assert.Equal(
            "anchor: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: " +
            "unable to start container process: exec: \"nosuchcmd\": executable file not found in $PATH: unknown.",
            result.Err);
    }

    [Fact]
    public void Run_UnknownNetwork_StartFailureWithoutHint()
    {
        // docker's create keeps the name; the start finds no such network (tests/compare run.net.bad).
        var result = anchor.RunRm(["--network", "nosuchnet-parity"], "true");
        Assert.True(result.ExitCode == 125, result.ToString());
        Assert.Equal("anchor: Error response from daemon: network nosuchnet-parity not found.", result.Err);
    }

    [Fact]
    public void Exec_MissingCommand_Exits126_OciRuntimeExecFailed() => WithRunning("par-exec", name =>
    {
        var result = anchor.Anchor(["exec", name, "nosuchcmd"]);
        Assert.True(result.ExitCode == 126, result.ToString());
        // docker 20.10's daemon writes it into the exec's stdout stream (tests/compare life.exec.missing).
        Assert.Equal("OCI runtime exec failed: exec failed: unable to start container process: exec: \"nosuchcmd\": executable file not found in $PATH: unknown", result.Out);
    });

    [Fact]
    public void Exec_IntoAPausedContainer_Exits1_IsPaused() => WithRunning("par-paused", name =>
    {
        anchor.Ok("pause", name);
        try
        {
            var result = anchor.Anchor(["exec", name, "true"]);
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Equal($"Error response from daemon: Container {name} is paused, unpause the container before exec", result.Err);
        }
        finally
        {
            anchor.Anchor(["unpause", name]);
        }
    });

    [Fact]
    public void Tag_UnknownImageOrBadReference_Exits1()
    {
        var missing = anchor.Anchor(["tag", "nosuchimage-parity", "x:y"]);
        Assert.True(missing.ExitCode == 1, missing.ToString());
        Assert.Contains("No such image: nosuchimage-parity", missing.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("anchor: ", missing.Err, StringComparison.Ordinal);

        var bad = anchor.Anchor(["tag", AnchorFixture.Image, "Bad:Ref:x"]);
        Assert.True(bad.ExitCode == 1, bad.ToString());
        Assert.Single(bad.Err.Split('\n'));
    }

    [Fact]
    public void NetworkCreate_Duplicate_Exits1_AlreadyExists()
    {
        var name = Detached.UniqueName("par-net");
        try
        {
            anchor.Ok("network", "create", name);
            var again = anchor.Anchor(["network", "create", name]);
            Assert.True(again.ExitCode == 1, again.ToString());
            Assert.Equal($"Error response from daemon: network with name {name} already exists", again.Err);
        }
        finally
        {
            anchor.Anchor(["network", "rm", name]);
        }
    }

    [Fact]
    public void Inspect_Templates_ParseError64_ExecutionError1_UnsetFieldsPrintGosZeroValues() => WithExited("par-insp", name =>
    {
        var parse = anchor.Anchor(["inspect", "-f", "{{.State.Status", name]);
        Assert.True(parse.ExitCode == 64, parse.ToString());
        Assert.StartsWith("template parsing error: template: ", parse.Err, StringComparison.Ordinal);

        var unknown = anchor.Anchor(["inspect", "-f", "{{.Nope}}", name]);
        Assert.True(unknown.ExitCode == 1, unknown.ToString());
        Assert.Contains("map has no entry for key \"Nope\"", unknown.Err, StringComparison.Ordinal);

        // docker's struct fields, set or not: what Go prints for each.
        var fields = anchor.Ok("inspect", "-f",
            "{{.Config.StopSignal}}|{{.Config.Labels}}|{{json .Config.Labels}}|{{.Config.Cmd}}|{{.State.Health}}|{{json .State.Health}}|" +
            "{{.HostConfig.Tmpfs}}|{{.Config.Domainname}}|{{.Config.Labels.nope}}|{{.HostConfig.NetworkMode}}|{{len .HostConfig.Links}}", name).Out;
        // Config.Labels is {} for a container (docker's CLI always sends a label map, empty or not).
        Assert.Equal("|map[]|{}|[sh -c exit 0]|<nil>|null|map[]||<no value>|default|0", fields);
    });

    [Fact]
    public void Inspect_ConfigJson_DockersKeysAndEnv_NetworkModeAndTmpfs()
    {
        var name = Detached.UniqueName("par-cfg");
        try
        {
            anchor.Ok("create", "--name", name, "-e", "ZED=1", "-e", "ALPHA=2", "--tmpfs", "/scratch:size=1m", "--network", "bridge", AnchorFixture.Image, "true");
            var config = anchor.Ok("inspect", "-f", "{{json .Config}}", name).Out;
            var keys = System.Text.RegularExpressions.Regex.Matches(config, "\"([A-Za-z]+)\":").Select(m => m.Groups[1].Value)
                .Where(k => k is not ("ZED" or "ALPHA")).ToList();
            Assert.Equal(
                ["Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin", "StdinOnce",
                 "Env", "Cmd", "Image", "Volumes", "WorkingDir", "Entrypoint", "OnBuild", "Labels"],
                keys);
            Assert.Contains("\"User\":\"\"", config, StringComparison.Ordinal);
            Assert.Contains("\"Domainname\":\"\"", config, StringComparison.Ordinal);

            // The user's variables in their order, then the image's; nothing the runtime adds.
            var env = anchor.Ok("inspect", "-f", "{{json .Config.Env}}", name).Out;
            Assert.StartsWith("[\"ZED=1\",\"ALPHA=2\"", env, StringComparison.Ordinal);
            Assert.DoesNotContain("HOSTNAME=", env, StringComparison.Ordinal);
            Assert.DoesNotContain("HOME=", env, StringComparison.Ordinal);

            Assert.Equal("bridge map[/scratch:size=1m]", anchor.Ok("inspect", "-f", "{{.HostConfig.NetworkMode}} {{.HostConfig.Tmpfs}}", name).Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Ps_Command_KeepsDockersQuoting_TableJsonAndNoTrunc() => WithExited("par-ps", name =>
    {
        var full = anchor.Ok("ps", "-a", "--no-trunc", "--filter", $"name={name}", "--format", "{{.Command}}").Out;
        Assert.Equal("\"sh -c 'echo out; exit 0'\"", full);
        var cut = anchor.Ok("ps", "-a", "--filter", $"name={name}", "--format", "{{.Command}}").Out;
        Assert.Equal("\"sh -c 'echo out; ex…\"", cut);
        var json = anchor.Ok("ps", "-a", "--no-trunc", "--filter", $"name={name}", "--format", "json").Out;
        Assert.Contains("\"Command\":\"\\\"sh -c 'echo out; exit 0'\\\"\"", json, StringComparison.Ordinal);
    }, "echo out; exit 0");

    [Fact]
    public void Ps_Image_ShowsTheImageId_OnceTheTagIsGone()
    {
        var tag = "partag-" + Guid.NewGuid().ToString("N")[..8];
        var name = Detached.UniqueName("par-img");
        try
        {
            anchor.Ok("tag", AnchorFixture.Image, tag);
            anchor.Ok("create", "--name", name, tag, "true");
            var id = anchor.Ok("inspect", "-f", "{{.Image}}", name).Out;
            Assert.Equal(tag, Image(name, truncate: true));
            anchor.Ok("rmi", tag);
            Assert.Equal(id["sha256:".Length..][..12], Image(name, truncate: true));
            Assert.Equal(id, Image(name, truncate: false));
        }
        finally
        {
            anchor.ForceRemove(name);
            anchor.Anchor(["rmi", tag]);
        }
    }

    [Fact]
    public void RmiForce_WithAMissingImage_RemovesTheOthers_Exits0()
    {
        var tag = "parrmi-" + Guid.NewGuid().ToString("N")[..8];
        anchor.Ok("tag", AnchorFixture.Image, tag);
        var result = anchor.Anchor(["rmi", "-f", "nosuchimage-parity", tag]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"Untagged: {tag}:latest", result.Out);
        Assert.Equal("Error: No such image: nosuchimage-parity", result.Err);
        Assert.NotEqual(0, anchor.Anchor(["image", "inspect", tag]).ExitCode);

        var plain = anchor.Anchor(["rmi", "nosuchimage-parity"]);
        Assert.True(plain.ExitCode == 1, plain.ToString());
        Assert.Equal("Error: No such image: nosuchimage-parity", plain.Err);
    }

    [Fact]
    public void History_OfAnImageBuiltOnAnImportedBase_ShowsTheBasesIdAndNoEpochTime()
    {
        var baseId = anchor.Ok("image", "inspect", "-f", "{{.Id}}", AnchorFixture.Image).Out["sha256:".Length..][..12];
        var context = Path.Combine(anchor.TempDir, "parity-history-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), "FROM busybox\nRUN echo hi > /x\n");
        var tag = "parhist-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            anchor.Ok("build", "-q", "-t", tag, context);
            var builtId = anchor.Ok("image", "inspect", "-f", "{{.Id}}", tag).Out["sha256:".Length..][..12];
            var lines = anchor.Ok("history", tag).Out.Split('\n');
            Assert.True(lines.Length == 3, string.Join('\n', lines));
            Assert.StartsWith(builtId, lines[1], StringComparison.Ordinal);
            // The base's own entry carries the base's ID, as docker's parent chain shows it.
            Assert.StartsWith(baseId, lines[2], StringComparison.Ordinal);
            Assert.DoesNotContain(lines, l => l.Contains("<missing>", StringComparison.Ordinal) || l.Contains("years ago", StringComparison.Ordinal));
        }
        finally
        {
            anchor.Anchor(["rmi", tag]);
        }
    }

    private string Image(string name, bool truncate)
    {
        List<string> args = ["ps", "-a", "--filter", $"name={name}", "--format", "{{.Image}}"];
        if (!truncate)
        {
            args.Add("--no-trunc");
        }

        return anchor.Ok([.. args]).Out;
    }

    private void WithRunning(string prefix, Action<string> body)
    {
        var name = Detached.UniqueName(prefix);
        try
        {
            anchor.ShDetached(name, Detached.Forever);
            body(name);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    private void WithExited(string prefix, Action<string> body, string script = "exit 0")
    {
        var name = Detached.UniqueName(prefix);
        try
        {
            anchor.ShDetached(name, script);
            Assert.Equal(0, anchor.WaitExit(name));
            body(name);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }
}
