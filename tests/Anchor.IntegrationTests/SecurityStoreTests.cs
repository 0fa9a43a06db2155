namespace Anchor.IntegrationTests;

/// <summary>
/// The store is root's alone (CVE-2021-41091): no other host user reaches a container's upper
/// directory (a setuid file a container made there would make them root) or the records and bundles
/// (they hold the -e values), while the container's own non-root processes still read their /etc
/// files, working directory and volumes. A store an earlier version left 0755 is tightened by the
/// next command.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class SecurityStoreTests(AnchorFixture anchor)
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode RootMode = Private | UnixFileMode.GroupExecute;
    private const UnixFileMode Readable = PrivateFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static UnixFileMode ModeOf(string path) => File.GetUnixFileMode(path) & ~(UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.StickyBit);

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8);

    private static void AssertMode(UnixFileMode expected, string path) =>
        Assert.True(ModeOf(path) == expected, $"{path} is {Octal(ModeOf(path))}, expected {Octal(expected)}");

    /// <summary>
    /// Runs a shell script as the host's nobody (uid/gid 65534, no supplementary groups). Through a
    /// shell: setpriv keeps its capabilities effective up to its own execve (PR_SET_KEEPCAPS, to set
    /// the groups after the uid), so the program it execs directly is looked up with root's
    /// CAP_DAC_OVERRIDE; the shell's own execs and opens are nobody's alone.
    /// </summary>
    private static ProcessResult AsNobody(string script) =>
        ProcessRunner.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c", script]);

    [Fact]
    public void RunDetached_WithSecret_StoreRecordsBundleAndLogArePrivate()
    {
        var name = Detached.UniqueName("private");
        var id = anchor.ShDetached(name, "echo started; " + Detached.Forever, "-e", "SECRET=x");
        try
        {
            var dir = Path.Combine(anchor.Root, "containers", id);
            var log = Path.Combine(dir, id + "-json.log");
            Detached.Eventually(() => File.Exists(log) && File.ReadAllText(log).Contains("started", StringComparison.Ordinal), TimeSpan.FromSeconds(10), () => "the log never showed the output");

            AssertMode(RootMode, anchor.Root);
            Assert.Equal("0:0", ProcessRunner.Run("stat", ["-c", "%u:%g", anchor.Root]).Out);
            foreach (var sub in new[] { "containers", "container-names", "snapshots", "images", "blobs" })
            {
                Assert.True(Directory.Exists(Path.Combine(anchor.Root, sub)), $"{sub} missing under the store");
            }

            // Every directory of the store, whichever tests made them (volumes, networks, build-cache, tmp, trash, ingest).
            foreach (var sub in Directory.EnumerateDirectories(anchor.Root))
            {
                AssertMode(Private, sub);
            }

            AssertMode(Private, dir);
            AssertMode(PrivateFile, Path.Combine(dir, "container.json"));
            AssertMode(PrivateFile, Path.Combine(dir, "config.json"));
            Assert.True(ModeOf(log) is PrivateFile or (PrivateFile | UnixFileMode.GroupRead), $"{log} is {Octal(ModeOf(log))}");
            Assert.Contains("SECRET=x", File.ReadAllText(Path.Combine(dir, "config.json")), StringComparison.Ordinal);

            // What the container's own processes read through bind mounts keeps 0644; its "/" 0755.
            foreach (var file in new[] { "hosts", "hostname", "resolv.conf" })
            {
                AssertMode(Readable, Path.Combine(dir, file));
            }

            AssertMode(Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, Path.Combine(dir, "upper"));

            AssertMode(Private, anchor.RunRoot);
            foreach (var sub in Directory.EnumerateDirectories(anchor.RunRoot))
            {
                AssertMode(Private, sub);
            }

            var asNobody = AsNobody($"cat {dir}/config.json; cat {dir}/container.json; cat {log}; ls {anchor.Root}/containers");
            Assert.True(asNobody.ExitCode != 0, asNobody.ToString());
            Assert.DoesNotContain("SECRET", asNobody.Stdout, StringComparison.Ordinal);
            Assert.Contains("Permission denied", asNobody.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void SetuidFileInUpperDir_CannotBeRunOrSeenByAnotherHostUser()
    {
        var name = Detached.UniqueName("suid");
        var run = anchor.Anchor(["run", "--name", name, "--network", "none", AnchorFixture.Image, "sh", "-c", "cp /bin/busybox /suid && chmod 4755 /suid"]);
        try
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            var id = anchor.Ok("inspect", "--format", "{{.Id}}", name).Out.Trim();
            var suid = Path.Combine(anchor.Root, "containers", id, "upper", "suid");
            Assert.True(File.Exists(suid), $"{suid} is not where the container wrote it");
            Assert.True(File.GetUnixFileMode(suid).HasFlag(UnixFileMode.SetUser), "the copy is not setuid");

            // Before the store was private this ran busybox as euid 0 ("suid: applet not found", 127).
            var exec = AsNobody($"{suid} id -u");
            Assert.True(exec.ExitCode != 0, $"nobody ran {suid}: {exec}");
            Assert.NotEqual("0", exec.Out);
            Assert.Contains("Permission denied", exec.Stderr, StringComparison.Ordinal);

            var stat = AsNobody($"stat {suid}");
            Assert.True(stat.ExitCode != 0, $"nobody could stat {suid}: {stat}");
            Assert.Contains("Permission denied", stat.Stderr, StringComparison.Ordinal);

            var config = AsNobody($"cat {Path.Combine(anchor.Root, "containers", id, "config.json")}");
            Assert.True(config.ExitCode != 0, $"nobody read config.json: {config}");
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void NonRootContainerUser_ReadsItsEtcFilesWorkdirAndVolumes()
    {
        var volume = Detached.UniqueName("vol");
        try
        {
            // /tmp in the image is 1777: the new volume takes that mode, so user 1000 can write to it.
            var output = anchor.ShOk(
                "cat /etc/hosts /etc/resolv.conf /etc/hostname > /dev/null && pwd && ls -d . && echo x > /tmp/mine && cat /tmp/mine && id -u",
                "-u", "1000:1000", "-w", "/home", "-v", volume + ":/tmp");
            Assert.Equal(["/home", ".", "x", "1000"], output.Split('\n'));
            var data = Path.Combine(anchor.Root, "volumes", volume, "_data");
            Assert.True(File.GetUnixFileMode(data).HasFlag(UnixFileMode.StickyBit | UnixFileMode.OtherWrite), $"{data} lost the image's mode");
        }
        finally
        {
            anchor.Anchor(["volume", "rm", "-f", volume]);
        }
    }

    [Fact]
    public void NonRootContainerUser_ThroughTheInitStageAndExec_ReadsEtcHosts()
    {
        var viaInit = ProcessRunner.Run(anchor.Bin, anchor.StoreArgs.Concat(["run", "--rm", "-u", "1000:1000", AnchorFixture.Image, "sh", "-c", "head -1 /etc/hosts && cat /etc/resolv.conf > /dev/null && echo ok"]),
            stdin: (string?)null, env: new Dictionary<string, string?> { ["ANCHOR_INIT_STAGE"] = "1" });
        Assert.True(viaInit.ExitCode == 0, viaInit.ToString());
        Assert.EndsWith("ok", viaInit.Out, StringComparison.Ordinal);

        var name = Detached.UniqueName("exec-user");
        anchor.ShDetached(name, Detached.Forever);
        try
        {
            var exec = anchor.Anchor(["exec", "-u", "1000:1000", name, "sh", "-c", "cat /etc/hosts > /dev/null && cat /etc/hostname"]);
            Assert.True(exec.ExitCode == 0, exec.ToString());
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void StoreMadeByAnEarlierVersion_IsTightenedByTheNextCommand()
    {
        var dir = Path.Combine(anchor.TempDir, "old-" + Guid.NewGuid().ToString("N")[..8]);
        string[] store = ["--root", Path.Combine(dir, "root"), "--runroot", Path.Combine(dir, "run")];
        ProcessResult Old(params string[] args) => ProcessRunner.Run(anchor.Bin, store.Concat(args), timeout: TimeSpan.FromSeconds(60));
        var root = Path.Combine(dir, "root");
        try
        {
            Assert.Equal(0, Old("import", anchor.BusyboxTar, "busybox").ExitCode);
            var create = Old("create", "--name", "old", "--network", "none", "-e", "SECRET=x", "busybox", "true");
            Assert.True(create.ExitCode == 0, create.ToString());
            var id = create.Out.Trim();
            var chmod = ProcessRunner.Run("chmod", ["-R", "755", dir]);
            Assert.True(chmod.ExitCode == 0, chmod.ToString());
            var config = Path.Combine(root, "containers", id, "config.json");
            AssertMode(Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute, config);
            Assert.Equal(0, AsNobody($"cat {config}").ExitCode); // the old store's hole, before any command

            var ps = Old("ps", "-a");
            Assert.True(ps.ExitCode == 0, ps.ToString());

            AssertMode(RootMode, root);
            foreach (var sub in Directory.EnumerateDirectories(root))
            {
                AssertMode(Private, sub);
            }

            AssertMode(Private, Path.Combine(root, "containers", id));
            AssertMode(PrivateFile, Path.Combine(root, "containers", id, "container.json"));
            AssertMode(PrivateFile, config);
            if (Directory.Exists(Path.Combine(dir, "run")))
            {
                AssertMode(Private, Path.Combine(dir, "run"));
            }

            Assert.NotEqual(0, AsNobody($"cat {config}").ExitCode);

            // The tightened store still runs containers, for a non-root user too.
            var run = Old("run", "--rm", "--network", "none", "-u", "1000:1000", "busybox", "cat", "/etc/hostname");
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        finally
        {
            Old("rm", "-f", "old");
            RemoveStore(dir);
        }
    }

    /// <summary>Deletes a private store; its trash reaper may still be deleting inside it, so a vanished entry is retried.</summary>
    private static void RemoveStore(string dir)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }
}
