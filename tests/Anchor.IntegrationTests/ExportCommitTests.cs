using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>Moving a container: export → import on another store → run; commit with --change, --pause and docker's config rule.</summary>
[Collection(AnchorCollection.Name)]
public sealed class ExportCommitTests(AnchorFixture anchor)
{
    [Fact]
    public void Export_ImportOnASecondStore_Runs()
    {
        var name = Detached.UniqueName("it-export");
        var tar = Path.Combine(anchor.TempDir, name + ".tar");
        var store = Path.Combine(anchor.TempDir, name + "-store");
        string[] second = ["--root", Path.Combine(store, "root"), "--runroot", Path.Combine(store, "run")];
        try
        {
            var run = anchor.Anchor(["run", "--name", name, AnchorFixture.Image, "sh", "-c", "echo moved > /moved; rm /bin/ls; mkdir /data; echo x > /data/x; rm -r /etc/network 2>/dev/null; true"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            var export = anchor.Anchor(["export", "-o", tar, name], timeout: TimeSpan.FromSeconds(60));
            Assert.True(export.ExitCode == 0, export.ToString());
            Assert.Equal("", export.Out);

            var entries = TarEntries(tar);
            Assert.Contains("moved", entries);
            Assert.Contains("data/x", entries);
            Assert.Contains("bin/busybox", entries);
            Assert.DoesNotContain("bin/ls", entries); // the whiteout applied, not archived
            Assert.DoesNotContain(entries, e => e.StartsWith('/') || e.StartsWith("./", StringComparison.Ordinal) || e.Contains(".wh.", StringComparison.Ordinal));

            var import = ProcessRunner.Run(anchor.Bin, [.. second, "import", tar, "moved:1"], timeout: TimeSpan.FromSeconds(60));
            Assert.True(import.ExitCode == 0, import.ToString());
            var moved = ProcessRunner.Run(anchor.Bin, [.. second, "run", "--rm", "--network", "none", "moved:1", "sh", "-c", "cat /moved /data/x; ls /bin/ls 2>&1 || echo gone"], timeout: TimeSpan.FromSeconds(60));
            Assert.True(moved.ExitCode == 0, moved.ToString());
            Assert.Equal("moved\nx\nls: /bin/ls: No such file or directory\ngone", moved.Out);
        }
        finally
        {
            anchor.ForceRemove(name);
            ProcessRunner.Run(anchor.Bin, [.. second, "rmi", "moved:1"]);
            Directory.Delete(store, recursive: true);
            File.Delete(tar);
        }
    }

    [Fact]
    public void Export_RunningContainer_ToStdout_HasItsFilesButNotItsMounts()
    {
        var name = Detached.UniqueName("it-export-run");
        try
        {
            anchor.ShDetached(name, "echo live > /live; " + Detached.Forever, "-v", "/vol", "--tmpfs", "/scratch");
            Detached.Eventually(() => anchor.Anchor(["exec", name, "cat", "/live"]).Out == "live", TimeSpan.FromSeconds(10), () => "the container wrote /live");
            anchor.Ok("exec", name, "sh", "-c", "echo in-volume > /vol/f; echo in-tmpfs > /scratch/f");
            var export = ProcessRunner.Run("/bin/sh", ["-c", $"{ProcessRunner.ShellQuote(anchor.Bin)} {string.Join(' ', anchor.StoreArgs.Select(ProcessRunner.ShellQuote))} export {name} | tar tf -"], timeout: TimeSpan.FromSeconds(60));
            Assert.True(export.ExitCode == 0, export.ToString());
            var entries = export.Out.Split('\n');
            Assert.Contains("live", entries);
            Assert.Contains("proc/", entries);
            Assert.DoesNotContain("vol/f", entries);
            Assert.DoesNotContain("scratch/f", entries);
            Assert.DoesNotContain(entries, e => e.StartsWith("proc/1", StringComparison.Ordinal));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Export_Refusals_AreDockers()
    {
        var missing = anchor.Anchor(["export", "-o", Path.Combine(anchor.TempDir, "none.tar"), "no-such-container-x"]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("No such container: no-such-container-x", missing.Err);
        Assert.False(File.Exists(Path.Combine(anchor.TempDir, "none.tar")));
        Assert.Empty(Directory.GetFiles(anchor.TempDir, ".tmp-none.tar*"));

        var name = Detached.UniqueName("it-export-dev");
        try
        {
            anchor.Ok("create", "--name", name, AnchorFixture.Image, "true");
            var device = anchor.Anchor(["export", "-o", "/dev/null", name]);
            Assert.Equal(1, device.ExitCode);
            Assert.Contains("cannot write to a character device file", device.Err);
            Assert.Equal("character special file", ProcessRunner.Run("stat", ["-c", "%F", "/dev/null"]).Out);

            // A terminal on stdout: script(1) gives the command one.
            var tty = ProcessRunner.Run("script", ["-qec", $"{ProcessRunner.ShellQuote(anchor.Bin)} {string.Join(' ', anchor.StoreArgs.Select(ProcessRunner.ShellQuote))} export {name}", "/dev/null"]);
            Assert.Contains("cowardly refusing to save to a terminal. Use the -o flag or redirect", tty.Stdout);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Commit_Changes_AndTheContainersConfig()
    {
        var name = Detached.UniqueName("it-commit");
        var image = name + ":c";
        try
        {
            var run = anchor.Anchor(["run", "--name", name, "-e", "FROM_RUN=1", "-w", "/tmp", AnchorFixture.Image, "sh", "-c", "echo state > /state"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            var commit = anchor.Anchor([
                "commit", "-m", "msg", "-a", "someone",
                "-c", "ENV GREETING=hi", "-c", "LABEL team=core", "-c", "EXPOSE 8080", "-c", "USER nobody",
                "-c", "ONBUILD RUN echo later", "-c", "STOPSIGNAL SIGINT", "-c", "VOLUME /cache",
                "-c", "HEALTHCHECK --interval=5s CMD true",
                name, image]);
            Assert.True(commit.ExitCode == 0, commit.ToString());
            Assert.Matches("^sha256:[0-9a-f]{64}$", commit.Out);

            var config = JsonDocument.Parse(anchor.Ok("inspect", "--format", "{{json .Config}}", image).Out).RootElement;
            // docker's rule: Cmd and Env come from the container as it ran.
            Assert.Equal(["sh", "-c", "echo state > /state"], config.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()));
            var env = config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()).ToList();
            // The changes apply to the container's config (moby daemon/commit.go): a new variable goes last.
            Assert.Equal("GREETING=hi", env[^1]);
            Assert.Contains("FROM_RUN=1", env);
            Assert.Equal("/tmp", config.GetProperty("WorkingDir").GetString());
            Assert.Equal("nobody", config.GetProperty("User").GetString());
            Assert.Equal("core", config.GetProperty("Labels").GetProperty("team").GetString());
            Assert.True(config.GetProperty("ExposedPorts").TryGetProperty("8080/tcp", out _));
            Assert.True(config.GetProperty("Volumes").TryGetProperty("/cache", out _));
            Assert.Equal(["RUN echo later"], config.GetProperty("OnBuild").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("SIGINT", config.GetProperty("StopSignal").GetString());
            Assert.Equal(["CMD-SHELL", "true"], config.GetProperty("Healthcheck").GetProperty("Test").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("someone", anchor.Ok("inspect", "--format", "{{.Author}}", image).Out);

            var again = anchor.Anchor(["run", "--rm", "--user", "root", image, "sh", "-c", "cat /state; echo $GREETING $FROM_RUN"]);
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Equal("state\nhi 1", again.Out);
        }
        finally
        {
            anchor.ForceRemove(name);
            anchor.Anchor(["rmi", image]);
        }
    }

    [Fact]
    public void Commit_EntrypointChangeAlone_LeavesCmdEmpty_AndBadChangesFail()
    {
        var name = Detached.UniqueName("it-commit-ep");
        var image = name + ":ep";
        try
        {
            Assert.Equal(0, anchor.Anchor(["run", "--name", name, AnchorFixture.Image, "echo", "ran"]).ExitCode);
            anchor.Ok("commit", "-c", "ENTRYPOINT [\"echo\", \"from-entrypoint\"]", name, image);
            var config = JsonDocument.Parse(anchor.Ok("inspect", "--format", "{{json .Config}}", image).Out).RootElement;
            Assert.True(!config.TryGetProperty("Cmd", out var cmd) || cmd.ValueKind == JsonValueKind.Null, config.ToString());
            Assert.Equal("from-entrypoint", anchor.Ok("run", "--rm", image).Out);

            var bad = anchor.Anchor(["commit", "-c", "RUN echo no", name, image + "2"]);
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains("run is not a valid change command", bad.Err);
            var unknown = anchor.Anchor(["commit", "-c", "FROB x", name, image + "2"]);
            Assert.Equal(1, unknown.ExitCode);
            Assert.Equal("Error response from daemon: frob is not a valid change command", unknown.Err);
        }
        finally
        {
            anchor.ForceRemove(name);
            anchor.Anchor(["rmi", image]);
        }
    }

    [Fact]
    public void Commit_Pause_FreezesARunningContainerAndThawsIt()
    {
        var name = Detached.UniqueName("it-commit-pause");
        var image = name + ":p";
        try
        {
            // The container counts on while it runs: frozen during the commit, it goes on after.
            anchor.ShDetached(name, "i=0; while true; do i=$((i+1)); echo $i > /count; sleep 0.05; done");
            Detached.Eventually(() => anchor.Anchor(["exec", name, "cat", "/count"]).Out is { Length: > 0 }, TimeSpan.FromSeconds(10), () => "the container counts");
            anchor.Ok("commit", name, image);
            var after = anchor.Ok("exec", name, "cat", "/count").Out;
            Detached.Eventually(() => anchor.Anchor(["exec", name, "cat", "/count"]).Out != after, TimeSpan.FromSeconds(10), () => "the container counts on after the commit");
            Assert.Matches("^Up ", anchor.Status(anchor.Ok("inspect", "--format", "{{.Id}}", name).Out));
            Assert.Matches("^[0-9]+$", anchor.Ok("run", "--rm", image, "cat", "/count").Out);

            anchor.Ok("commit", "--pause=false", name, image);
        }
        finally
        {
            anchor.ForceRemove(name);
            anchor.Anchor(["rmi", image]);
        }
    }

    private static List<string> TarEntries(string tar)
    {
        using var stream = File.OpenRead(tar);
        using var reader = new System.Formats.Tar.TarReader(stream);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
        }

        return names;
    }
}
