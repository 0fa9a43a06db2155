using System.Diagnostics;
using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>
/// run/create's --label/--label-file, --platform, --pull, --cidfile, --stop-timeout, -a/--attach
/// and --volumes-from, -it without a terminal, --rm with --restart, and --rm's anonymous volumes:
/// what docker's users see (output, exit codes, inspect fields, files).
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class RunMetadataFlagsTests(AnchorFixture anchor)
{
    private string Scratch(string name) => Path.Combine(anchor.TempDir, $"{name}-{Guid.NewGuid().ToString("N")[..8]}");

    private static void Fails(ProcessResult result, int exitCode, string message)
    {
        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode}: {result}");
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
    }

    private string Inspect(string container, string template) => anchor.Ok("inspect", "-f", template, container).Out;

    [Fact]
    public void Labels_FilesThenFlags_MergedOverTheImagesLabels()
    {
        var image = $"labeled-{Guid.NewGuid().ToString("N")[..8]}";
        anchor.Ok("import", "--change", "LABEL from.image=image shared=image", anchor.BusyboxTar, image);
        var file = Scratch("labels");
        File.WriteAllText(file, "# comment\nfrom.file=file\nbare-is-dropped\nshared=file\nflag=file\n");
        var name = Detached.UniqueName("labels");
        try
        {
            anchor.Ok("create", "--name", name, "--label-file", file, "-l", "flag=flag", "--label", "empty", image, "true");
            var labels = JsonDocument.Parse(Inspect(name, "{{json .Config.Labels}}")).RootElement.EnumerateObject()
                .ToDictionary(p => p.Name, p => p.Value.GetString());
            Assert.Equal(
                new Dictionary<string, string?> { ["from.image"] = "image", ["from.file"] = "file", ["shared"] = "file", ["flag"] = "flag", ["empty"] = "" },
                labels);
        }
        finally
        {
            anchor.ForceRemove(name);
            anchor.Anchor(["rmi", image]);
        }
    }

    [Fact]
    public void Labels_BadNameOrMissingFile_Refused125()
    {
        Fails(anchor.RunRm(["-l", "=x"], "true"), 125, "invalid argument \"=x\" for \"-l, --label\" flag: invalid label '=x': empty name");
        var missing = Scratch("none");
        Fails(anchor.RunRm(["--label-file", missing], "true"), 125, $"anchor: open {missing}: no such file or directory.\nSee 'anchor run --help'.");
    }

    [Fact]
    public void RmWithRestart_ConflictingOptions125_ForRunAndCreate()
    {
        Fails(anchor.RunRm(["--restart", "always"], "true"), 125, "Conflicting options: --restart and --rm");
        Fails(anchor.Anchor(["create", "--rm", "--restart=on-failure:3", AnchorFixture.Image, "true"]), 125, "Conflicting options: --restart and --rm");
        // --restart no goes with --rm.
        Assert.Equal(0, anchor.RunRm(["--network", "none", "--restart", "no"], "true").ExitCode);
    }

    [Fact]
    public void InteractiveTty_StdinNotATerminal_Refused1_TtyAloneRuns()
    {
        var result = anchor.RunRm(["-it"], "echo", "ran");
        Fails(result, 1, "the input device is not a TTY");
        // docker's CLI returns it from runContainer as it is: no "anchor: ", no hint (tests/compare run.it.notty).
        Assert.Equal("the input device is not a TTY", result.Err);
        Assert.DoesNotContain("ran", result.Out, StringComparison.Ordinal);
        Fails(anchor.RunRm(["-t", "-a", "stdin"], "true"), 1, "the input device is not a TTY");
        Assert.Equal("ran", anchor.RunRm(["-t", "--network", "none"], "echo", "ran").Out);
    }

    [Fact]
    public void ExecInteractiveTty_StdinNotATerminal_Refused1_AfterTheContainerLookup()
    {
        var name = Detached.UniqueName("exec-tty");
        try
        {
            anchor.ShDetached(name, Detached.Forever, "--network", "none");
            var result = anchor.Anchor(["exec", "-it", name, "echo", "ran"]);
            Fails(result, 1, "the input device is not a TTY");
            Assert.DoesNotContain("ran", result.Out, StringComparison.Ordinal);
            Assert.Equal("ran", anchor.Ok("exec", "-i", name, "echo", "ran").Out);
            Fails(anchor.Anchor(["exec", "-it", "no-such-container-x", "true"]), 1, "No such container: no-such-container-x");
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Attach_OnlyTheNamedStreamsReachTheUser()
    {
        const string Script = "echo to-out; echo to-err >&2";
        var errOnly = anchor.Sh(Script, "-a", "stderr", "--network", "none");
        Assert.Equal(0, errOnly.ExitCode);
        Assert.Equal("", errOnly.Out);
        Assert.Equal("to-err", errOnly.Err);

        var outOnly = anchor.Sh(Script, "-a", "STDOUT", "--network", "none");
        Assert.Equal("to-out", outOnly.Out);
        Assert.Equal("", outOnly.Err);

        var both = anchor.Sh(Script, "--network", "none");
        Assert.Equal(("to-out", "to-err"), (both.Out, both.Err));
    }

    [Fact]
    public void Attach_BadValueOrWithDetach_Refused()
    {
        Fails(anchor.RunRm(["-a", "stdio"], "true"), 125, "invalid argument \"stdio\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR");
        var name = Detached.UniqueName("attach-d");
        var conflict = anchor.Anchor(["run", "-d", "--name", name, "-a", "stdout", AnchorFixture.Image, "true"]);
        Fails(conflict, 1, "Conflicting options: -a and -d");
        Assert.Equal("Conflicting options: -a and -d", conflict.Err); // bare, as docker's runContainer returns it
        Assert.DoesNotContain(name, anchor.Ok("ps", "-a").Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Attach_InspectShowsTheAttachedStreams()
    {
        var name = Detached.UniqueName("attach-inspect");
        try
        {
            anchor.Ok("create", "--name", name, "-a", "stderr", "-a", "stdin", AnchorFixture.Image, "true");
            Assert.Equal("true false true", Inspect(name, "{{.Config.AttachStdin}} {{.Config.AttachStdout}} {{.Config.AttachStderr}}"));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Platform_HostsRuns_OtherRefusedWhenTheImageDoesNotMatch()
    {
        Assert.Equal("ok", anchor.RunRm(["--platform", "linux/amd64", "--network", "none"], "echo", "ok").Out);
        Assert.Equal("ok", anchor.RunRm(["--platform", "x86_64", "--network", "none"], "echo", "ok").Out);
        Fails(anchor.RunRm(["--pull", "never", "--platform", "linux/arm64"], "true"), 125,
            "image with reference busybox was found but does not match the specified platform: wanted linux/arm64, actual: linux/amd64");
        Fails(anchor.RunRm(["--platform", "nonsense"], "true"), 125,
            "error parsing specified platform: \"nonsense\": unknown operating system or architecture: invalid argument");
    }

    [Fact]
    public void PullNever_AbsentImage_NoSuchImage125_BadPolicyRefused()
    {
        var absent = $"absent-{Guid.NewGuid().ToString("N")[..8]}";
        var never = anchor.Anchor(["run", "--rm", "--pull", "never", absent, "true"]);
        Fails(never, 125, $"No such image: {absent}:latest");
        Assert.DoesNotContain("Unable to find image", never.Err, StringComparison.Ordinal);
        // docker's create returns the daemon's error unwrapped: exit 1 (only run turns it into 125).
        Fails(anchor.Anchor(["create", "--pull", "never", absent]), 1, $"No such image: {absent}:latest");
        Fails(anchor.RunRm(["--pull", "sometimes"], "true"), 125, "invalid pull option: 'sometimes': must be one of \"always\", \"missing\" or \"never\"");
        Assert.Equal("ok", anchor.RunRm(["--pull", "never", "--network", "none"], "echo", "ok").Out);
    }

    [Fact]
    public void PullAlways_PullsEvenWhenTheImageIsThere_MissingKeepsTheLocalOne()
    {
        using var registry = new RegistryServer();
        var config = Directory.CreateTempSubdirectory("anchor-cfg-").FullName;
        var env = new Dictionary<string, string?> { ["HOME"] = config, ["DOCKER_CONFIG"] = config, ["ANCHOR_CONFIG"] = config };
        ProcessResult Run(params string[] args) => ProcessRunner.Run(anchor.Bin, anchor.StoreArgs.Concat(args), (byte[]?)null, TimeSpan.FromSeconds(120), env);
        ProcessResult Import(string reference, string which)
        {
            using var tar = new TarBuilder().CopyFrom(anchor.BusyboxTar).File("which", which);
            return ProcessRunner.Run(anchor.Bin, anchor.StoreArgs.Concat(["import", "--change", "CMD [\"sh\"]", "-", reference]), tar.ToArray(), TimeSpan.FromSeconds(120), env);
        }

        var reference = $"{registry.Host}/meta/pull:1";
        try
        {
            Assert.Equal(0, Import(reference, "pushed").ExitCode);
            Assert.Equal(0, Run("push", reference).ExitCode);
            // The same tag, locally only, with other content.
            Assert.Equal(0, Import(reference, "local").ExitCode);

            var missing = Run("run", "--rm", "--network", "none", "--pull", "missing", reference, "cat", "/which");
            Assert.True(missing.ExitCode == 0, missing.ToString());
            Assert.Equal("local", missing.Out);

            var always = Run("run", "--rm", "--network", "none", "--pull", "always", reference, "cat", "/which");
            Assert.True(always.ExitCode == 0, always.ToString());
            Assert.Equal("pushed", always.Out);
            Assert.Contains($"Status: Downloaded newer image for {reference}", always.Err, StringComparison.Ordinal);
            Assert.DoesNotContain("Unable to find image", always.Err, StringComparison.Ordinal);
        }
        finally
        {
            Run("rmi", "-f", reference);
            Directory.Delete(config, recursive: true);
        }
    }

    [Fact]
    public void CidFile_HoldsTheId_ExistingFileRefused_FailedCreateLeavesNone()
    {
        var file = Scratch("cid");
        var name = Detached.UniqueName("cid");
        try
        {
            var id = anchor.RunDetached(name, ["--cidfile", file, "--network", "none"], "sleep", "30");
            Assert.Equal(id, File.ReadAllText(file));
            Assert.Equal(file, Inspect(name, "{{.HostConfig.ContainerIDFile}}"));

            var again = anchor.Anchor(["create", "--cidfile", file, AnchorFixture.Image, "true"]);
            Fails(again, 1, $"container ID file found, make sure the other container isn't running or delete {file}");
            Assert.Equal(id, File.ReadAllText(file));
        }
        finally
        {
            anchor.ForceRemove(name);
        }

        var failed = Scratch("cid-failed");
        Fails(anchor.Anchor(["run", "--rm", "--pull", "never", "--cidfile", failed, "absent-image-x", "true"]), 125, "No such image");
        Assert.False(File.Exists(failed));
    }

    [Fact]
    public void StopTimeout_StopWaitsThatLong_ThenKills_InspectShowsIt()
    {
        var name = Detached.UniqueName("stop-timeout");
        try
        {
            anchor.ShDetached(name, "trap '' TERM; " + Detached.Forever, "--stop-timeout", "1", "--network", "none");
            Assert.Equal("1", Inspect(name, "{{json .Config.StopTimeout}}"));
            var clock = Stopwatch.StartNew();
            anchor.Ok("stop", name);
            // SIGTERM is ignored: stop kills after the container's 1 s, not docker's default 10 s.
            Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 6);
            Assert.Equal("137", Inspect(name, "{{.State.ExitCode}}"));

            anchor.Ok("start", name);
            clock.Restart();
            anchor.Ok("restart", name);
            Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 6);
        }
        finally
        {
            anchor.ForceRemove(name);
        }

        Fails(anchor.RunRm(["--stop-timeout", "soon"], "true"), 125, "invalid argument \"soon\" for \"--stop-timeout\" flag: strconv.ParseInt: parsing \"soon\": invalid syntax");
    }

    [Fact]
    public void VolumesFrom_SharesVolumesAndBinds_RoAndOwnMountsApply()
    {
        var source = Detached.UniqueName("vf-src");
        var named = Detached.UniqueName("vf-named");
        var bind = Scratch("vf-bind");
        Directory.CreateDirectory(bind);
        File.WriteAllText(Path.Combine(bind, "host-file"), "from-host\n");
        try
        {
            anchor.Ok("run", "--name", source, "--network", "none", "-v", "/anon", "-v", $"{named}:/named", "-v", $"{bind}:/bind:ro",
                AnchorFixture.Image, "sh", "-c", "echo anon > /anon/f; echo named > /named/f");

            Assert.Equal("anon\nnamed\nfrom-host\nanon-rw\nbind-ro", anchor.ShOk(
                "cat /anon/f /named/f /bind/host-file; touch /anon/w && echo anon-rw; touch /bind/x 2>/dev/null || echo bind-ro",
                "--volumes-from", source, "--network", "none"));
            Assert.Equal("anon-ro", anchor.ShOk("touch /anon/x 2>/dev/null || echo anon-ro", "--volumes-from", $"{source}:ro", "--network", "none"));
            var other = Scratch("vf-other");
            Directory.CreateDirectory(other);
            File.WriteAllText(Path.Combine(other, "mine"), "");
            Assert.Equal("mine", anchor.ShOk("ls /named", "--volumes-from", source, "-v", $"{other}:/named", "--network", "none"));

            // The shared anonymous volume is not the recipients': their --rm left it to its owner.
            Assert.Equal("anon", anchor.ShOk("cat /anon/f", "--volumes-from", source, "--network", "none"));

            Fails(anchor.RunRm(["--volumes-from", $"{source}:rshared"], "true"), 125, "invalid mode: rshared");
            Fails(anchor.RunRm(["--volumes-from", "no-such-container-x"], "true"), 125, "No such container: no-such-container-x");
        }
        finally
        {
            anchor.Anchor(["rm", "-f", "-v", source]);
            anchor.Anchor(["volume", "rm", named]);
        }
    }

    [Fact]
    public void VolumesFrom_InspectListsThem()
    {
        var source = Detached.UniqueName("vf-src");
        var target = Detached.UniqueName("vf-target");
        try
        {
            anchor.Ok("create", "--name", source, "-v", "/data", AnchorFixture.Image, "true");
            anchor.Ok("create", "--name", target, "--volumes-from", $"{source}:ro", AnchorFixture.Image, "true");
            Assert.Equal($"[\"{source}:ro\"]", Inspect(target, "{{json .HostConfig.VolumesFrom}}"));
            Assert.Equal("/data false", Inspect(target, "{{range .Mounts}}{{.Destination}} {{.RW}}{{end}}"));
        }
        finally
        {
            anchor.Anchor(["rm", "-f", "-v", target, source]);
        }
    }

    [Fact]
    public void RunRm_AnonymousVolumeRemovedAtExit_NamedVolumeStays()
    {
        var named = Detached.UniqueName("keep");
        try
        {
            var before = Volumes();
            var marker = Guid.NewGuid().ToString("N");
            anchor.ShOk($"echo {marker} > /anon/f; echo kept > /named/f", "-v", "/anon", "-v", $"{named}:/named", "--network", "none");
            var after = Volumes();
            Assert.Equal([.. before.Append(named).Order(StringComparer.Ordinal)], [.. after.Order(StringComparer.Ordinal)]);
            Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(anchor.Root, "volumes"), "f", SearchOption.AllDirectories),
                f => File.ReadAllText(f).Trim() == marker);
        }
        finally
        {
            anchor.Anchor(["volume", "rm", named]);
        }

        HashSet<string> Volumes() => [.. anchor.Ok("volume", "ls", "-q").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
