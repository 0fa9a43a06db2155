namespace Anchor.IntegrationTests;

/// <summary>
/// `anchor oci` (anchor-runc) driven as containerd's shim drives runc: spec, create, state, start,
/// kill, delete, run, list, pause/resume, ps, with runc's state JSON, messages and exit codes.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class OciRuntimeTests(AnchorFixture anchor)
{
    private static string NewId() => "oci-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public void CreateStartKillDelete_WalksThroughTheStates()
    {
        using var bundle = new OciBundleDir(anchor, terminal: false, "sh", "-c", "echo started in $(hostname); exec sleep 100");
        var id = NewId();
        var create = bundle.CreateWithFiles(id);
        Assert.True(create.ExitCode == 0, create.ToString());

        var created = bundle.State(id);
        Assert.Equal("created", (string?)created["status"]);
        Assert.Equal(id, (string?)created["id"]);
        Assert.Equal(bundle.Directory, (string?)created["bundle"]);
        var pid = (int)created["pid"]!;
        Assert.True(pid > 0);
        // The process exists, in its own pid namespace, and has run nothing of the command yet.
        Assert.NotEqual(Readlink("/proc/self/ns/pid"), Readlink($"/proc/{pid}/ns/pid"));
        Assert.Equal("", File.ReadAllText(bundle.OutPath));

        var start = bundle.Runtime("start", id);
        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.Equal("running", (string?)bundle.State(id)["status"]);
        // The container wrote to create's stdout, passed through unmodified.
        WaitFor(() => File.ReadAllText(bundle.OutPath).Contains("started in runc", StringComparison.Ordinal), "container output in create's stdout");
        Assert.Equal("sleep", File.ReadAllText($"/proc/{pid}/comm").Trim());

        var again = bundle.Runtime("start", id);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("cannot start an already running container", again.Stderr);

        var busy = bundle.Runtime("delete", id);
        Assert.Equal(1, busy.ExitCode);
        Assert.Contains($"cannot delete container {id} that is not stopped: running", busy.Stderr);

        var kill = bundle.Runtime("kill", id, "KILL");
        Assert.True(kill.ExitCode == 0, kill.ToString());
        var stopped = bundle.WaitForStatus(id, "stopped");
        Assert.Equal(0, (int)stopped["pid"]!);

        var killStopped = bundle.Runtime("kill", id, "SIGTERM");
        Assert.Equal(1, killStopped.ExitCode);
        Assert.Contains("container not running", killStopped.Stderr);

        var delete = bundle.Runtime("delete", id);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        var gone = bundle.Runtime("state", id);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("container does not exist", gone.Stderr);
        Assert.False(Directory.Exists($"/sys/fs/cgroup/pids/{id}") || Directory.Exists($"/sys/fs/cgroup/{id}"), "the container's cgroup outlived delete");
    }

    [Fact]
    public void Run_Foreground_PassesOutputAndExitCodeThroughAndDeletes()
    {
        using var bundle = new OciBundleDir(anchor, terminal: false, "sh", "-c", "echo out; echo err >&2; exit 7");
        var id = NewId();
        var run = bundle.Runtime("run", "--bundle", bundle.Directory, id);
        Assert.True(run.ExitCode == 7, run.ToString());
        Assert.Equal("out\n", run.Stdout);
        Assert.Equal("err\n", run.Stderr);
        Assert.Contains("container does not exist", bundle.Runtime("state", id).Stderr);
    }

    [Fact]
    public void Errors_MissingDuplicateAndWrongState_AreRuncs()
    {
        using var bundle = new OciBundleDir(anchor, terminal: false, "sleep", "100");
        var missing = bundle.Runtime("start", "nosuch");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("container does not exist", missing.Stderr);
        Assert.Contains("container does not exist", bundle.Runtime("kill", "nosuch").Stderr);
        Assert.Contains("container does not exist", bundle.Runtime("delete", "nosuch").Stderr);
        Assert.Equal(0, bundle.Runtime("delete", "--force", "nosuch").ExitCode);

        // containerd's shim passes --log FILE --log-format json and reads the last error line back.
        var logPath = Path.Combine(bundle.Directory, "log.json");
        var logged = bundle.Runtime("--log", logPath, "--log-format", "json", "state", "nosuch");
        Assert.Equal(1, logged.ExitCode);
        Assert.Equal("container does not exist\n", logged.Stderr);
        var line = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllLines(logPath).Last())!;
        Assert.Equal("error", (string?)line["level"]);
        Assert.Equal("container does not exist", (string?)line["msg"]);

        // The same binary behaves as the runtime when invoked through a link named anchor-runc.
        var link = Path.Combine(bundle.Directory, "anchor-runc");
        File.CreateSymbolicLink(link, anchor.Bin);
        var viaLink = ProcessRunner.Run(link, ["--root", bundle.StateRoot, "list", "--format", "json"]);
        Assert.True(viaLink.ExitCode == 0, viaLink.ToString());
        Assert.Equal("null\n", viaLink.Stdout);

        var id = NewId();
        Assert.Equal(0, bundle.CreateWithFiles(id).ExitCode);
        var duplicate = bundle.CreateWithFiles(id);
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains("container with given ID already exists", duplicate.Stderr);

        var resume = bundle.Runtime("resume", id);
        Assert.Equal(1, resume.ExitCode);
        Assert.Contains("container not paused", resume.Stderr);

        var usage = bundle.Runtime("state");
        Assert.Equal(1, usage.ExitCode);
        Assert.Contains("requires exactly 1 argument(s)", usage.Stderr);

        var badSignal = bundle.Runtime("kill", id, "NOSUCH");
        Assert.Equal(1, badSignal.ExitCode);
        // logrus's text line quotes the message as Go's %q does.
        Assert.Contains("unknown signal \\\"NOSUCH\\\"", badSignal.Stderr);

        // A created container is deleted without --force: its waiting process is killed.
        var pid = (int)bundle.State(id)["pid"]!;
        Assert.Equal(0, bundle.Runtime("delete", id).ExitCode);
        WaitFor(() => !IsLive(pid), "the created container's process to end");
    }

    [Fact]
    public void DeleteForce_RunningContainer_KillsAndRemovesIt()
    {
        using var bundle = new OciBundleDir(anchor, terminal: false, "sleep", "1000");
        var id = NewId();
        var run = bundle.WithFiles("run", "--detach", "--bundle", bundle.Directory, id);
        Assert.True(run.ExitCode == 0, run.ToString());
        var state = bundle.State(id);
        Assert.Equal("running", (string?)state["status"]);
        var pid = (int)state["pid"]!;

        var list = bundle.Runtime("list");
        Assert.StartsWith("ID", list.Stdout);
        Assert.Contains(id, list.Stdout);
        Assert.Contains("running", list.Stdout);
        var json = System.Text.Json.Nodes.JsonNode.Parse(bundle.Runtime("list", "--format", "json").Stdout)!.AsArray();
        Assert.Contains(json, c => (string?)c!["id"] == id && (int)c["pid"]! == pid);

        var ps = bundle.Runtime("ps", "--format", "json", id);
        Assert.Equal($"[{pid}]\n", ps.Stdout);

        Assert.Equal(0, bundle.Runtime("pause", id).ExitCode);
        Assert.Equal("paused", (string?)bundle.State(id)["status"]);
        Assert.True(Frozen(id), "pause left the container's cgroup thawed");
        Assert.Equal(0, bundle.Runtime("resume", id).ExitCode);
        Assert.Equal("running", (string?)bundle.State(id)["status"]);

        var delete = bundle.Runtime("delete", "--force", id);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Contains("container does not exist", bundle.Runtime("state", id).Stderr);
        WaitFor(() => !IsLive(pid), "the container's process to end");
    }

    [Fact]
    public void Exec_RunsInTheContainersNamespacesWithItsExitCode()
    {
        using var bundle = new OciBundleDir(anchor, terminal: false, "sh", "-c", "echo marker > /tmp/marker; exec sleep 1000");
        var id = NewId();
        Assert.Equal(0, bundle.WithFiles("run", "--detach", "--bundle", bundle.Directory, id).ExitCode);
        WaitFor(() => File.Exists(Path.Combine(bundle.Directory, "rootfs", "tmp", "marker")), "the container's first command");

        // Its hostname, its pid namespace (the init is pid 1 there), its environment with -e added.
        var exec = bundle.Runtime("exec", "--env", "EXTRA=yes", id, "sh", "-c", "echo $(hostname) $EXTRA; cat /proc/1/comm; exit 4");
        Assert.True(exec.ExitCode == 4, exec.ToString());
        Assert.Equal("runc yes\nsleep\n", exec.Stdout);

        // containerd's shape: --process FILE --detach --pid-file; the process outlives exec.
        var processFile = Path.Combine(bundle.Directory, "process.json");
        File.WriteAllText(processFile, """{"terminal":false,"user":{"uid":0,"gid":0},"args":["sleep","77"],"env":["PATH=/bin"],"cwd":"/"}""");
        var pidFile = Path.Combine(bundle.Directory, "exec.pid");
        var detached = bundle.WithFiles("exec", "--process", processFile, "--detach", "--pid-file", pidFile, id);
        Assert.True(detached.ExitCode == 0, detached.ToString());
        var pid = int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("sleep\077\0", File.ReadAllText($"/proc/{pid}/cmdline"));
        Assert.Equal(Readlink($"/proc/{(int)bundle.State(id)["pid"]!}/ns/pid"), Readlink($"/proc/{pid}/ns/pid"));
        Assert.Contains(pid, System.Text.Json.Nodes.JsonNode.Parse(bundle.Runtime("ps", "--format", "json", id).Stdout)!.AsArray().Select(n => (int)n!));

        Assert.Equal(0, bundle.Runtime("delete", "--force", id).ExitCode);
        WaitFor(() => !IsLive(pid), "the exec'd process to die with its container");
        var stopped = bundle.Runtime("exec", id, "true");
        Assert.Equal(1, stopped.ExitCode);
        Assert.Contains("container does not exist", stopped.Stderr);
    }

    [Fact]
    public void CreateWithConsoleSocket_SendsThePtyMasterAndTheContainerWritesThroughIt()
    {
        using var bundle = new OciBundleDir(anchor, terminal: true, "sh", "-c", "tty; echo via-pty; exit 0");
        var id = NewId();
        var noSocket = bundle.CreateWithFiles(id);
        Assert.Equal(1, noSocket.ExitCode);
        Assert.Contains("cannot allocate tty if runc will detach without setting console socket", noSocket.Stderr);

        using var receiver = new ConsoleSocketReceiver(Path.Combine(bundle.Directory, "console.sock"));
        var create = bundle.WithFiles("create", "--console-socket", receiver.Path, "--bundle", bundle.Directory, id);
        Assert.True(create.ExitCode == 0, create.ToString());
        var master = receiver.Master(TimeSpan.FromSeconds(10));
        // A pty master of the container's own devpts instance (its ptmx, as its mount namespace names it).
        Assert.EndsWith("ptmx", new FileInfo($"/proc/self/fd/{master}").LinkTarget ?? "", StringComparison.Ordinal);
        Assert.Equal(0, bundle.Runtime("start", id).ExitCode);

        using var pty = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(master, ownsHandle: true), FileAccess.Read, 1);
        var output = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        var read = new Thread(() =>
        {
            int n;
            try
            {
                while ((n = pty.Read(buffer, 0, buffer.Length)) > 0)
                {
                    output.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, n));
                    if (output.ToString().Contains("via-pty", StringComparison.Ordinal))
                    {
                        return;
                    }
                }
            }
            catch (IOException)
            {
                // EIO once the last slave closes.
            }
        }) { IsBackground = true };
        read.Start();
        Assert.True(read.Join(TimeSpan.FromSeconds(15)), "no output through the pty: " + output);
        Assert.Contains("/dev/pts/0", output.ToString());
        Assert.Contains("via-pty", output.ToString());
        bundle.WaitForStatus(id, "stopped");
        Assert.Equal(0, bundle.Runtime("delete", id).ExitCode);
    }

    [Fact]
    public void Hooks_RunInOrderWithTheStateOnStdin()
    {
        using var bundle = new OciBundleDir(anchor, terminal: false, "sh", "-c", "exit 0");
        var log = Path.Combine(bundle.Directory, "hooks.log");
        // Each hook appends its argv[0] (given by args, not path) and the state it read on stdin.
        System.Text.Json.Nodes.JsonObject Hook(string name) => new()
        {
            ["path"] = "/bin/sh",
            ["args"] = new System.Text.Json.Nodes.JsonArray(System.Text.Json.Nodes.JsonValue.Create(name), System.Text.Json.Nodes.JsonValue.Create("-c"), System.Text.Json.Nodes.JsonValue.Create($"{{ echo \"$0 $HOOKVAR\"; cat; echo; }} >> {log}")),
            ["env"] = new System.Text.Json.Nodes.JsonArray(System.Text.Json.Nodes.JsonValue.Create("HOOKVAR=set")),
        };
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(bundle.ConfigPath))!;
        config["hooks"] = new System.Text.Json.Nodes.JsonObject
        {
            ["prestart"] = new System.Text.Json.Nodes.JsonArray(Hook("prestart")),
            ["createRuntime"] = new System.Text.Json.Nodes.JsonArray(Hook("createRuntime")),
            ["poststart"] = new System.Text.Json.Nodes.JsonArray(Hook("poststart")),
            ["poststop"] = new System.Text.Json.Nodes.JsonArray(Hook("poststop")),
        };
        File.WriteAllText(bundle.ConfigPath, config.ToJsonString());

        var id = NewId();
        Assert.Equal(0, bundle.CreateWithFiles(id).ExitCode);
        var pid = (int)bundle.State(id)["pid"]!;
        Assert.Equal(0, bundle.Runtime("start", id).ExitCode);
        bundle.WaitForStatus(id, "stopped");
        Assert.Equal(0, bundle.Runtime("delete", id).ExitCode);

        var lines = File.ReadAllLines(log).Where(l => l.Length > 0).ToList();
        Assert.Equal(["prestart set", "createRuntime set", "poststart set", "poststop set"], lines.Where((_, i) => i % 2 == 0));
        var prestart = System.Text.Json.Nodes.JsonNode.Parse(lines[1])!;
        Assert.Equal(id, (string?)prestart["id"]);
        Assert.Equal("creating", (string?)prestart["status"]);
        Assert.Equal(pid, (int)prestart["pid"]!);
        Assert.Equal(bundle.Directory, (string?)prestart["bundle"]);
        Assert.Equal("stopped", (string?)System.Text.Json.Nodes.JsonNode.Parse(lines[7])!["status"]);

        // A failing prestart hook fails create, and nothing of the container stays.
        config["hooks"] = new System.Text.Json.Nodes.JsonObject { ["prestart"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["path"] = "/bin/false" }) };
        File.WriteAllText(bundle.ConfigPath, config.ToJsonString());
        var failing = bundle.CreateWithFiles(id);
        Assert.Equal(1, failing.ExitCode);
        Assert.Contains("error running prestart hook #0: exit status 1", failing.Stderr);
        Assert.Contains("container does not exist", bundle.Runtime("state", id).Stderr);
    }

    /// <summary>
    /// --pid-file is written by renaming a temporary file onto the path: a path that is a device
    /// must be refused, never replaced (issue 11's finding for save -o /dev/null), and the refused
    /// create leaves no container; a regular file gets the pid.
    /// </summary>
    [Fact]
    public void Create_PidFileOnADevice_IsRefusedAndLeavesNothing_ARegularOneGetsThePid()
    {
        using var bundle = new OciBundleDir(anchor, terminal: false, "sleep", "100");
        var id = NewId();
        var refused = bundle.WithFiles("create", "--bundle", bundle.Directory, "--pid-file", "/dev/null", id);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("cannot write to a character device file", refused.Stderr);
        Assert.Equal("character special file", ProcessRunner.Run("stat", ["-c", "%F", "/dev/null"], timeout: TimeSpan.FromSeconds(10)).Stdout.Trim());
        Assert.Contains("container does not exist", bundle.Runtime("state", id).Stderr);

        // A symlink is not followed (rename would replace the link itself): refused too.
        var link = Path.Combine(bundle.Directory, "null-link");
        File.CreateSymbolicLink(link, "/dev/null");
        var viaLink = bundle.WithFiles("create", "--bundle", bundle.Directory, "--pid-file", link, id);
        Assert.True(viaLink.ExitCode == 1, viaLink.ToString());
        Assert.Contains("cannot write to a symbolic link directly", viaLink.Stderr);
        Assert.Equal("/dev/null", new FileInfo(link).LinkTarget);

        var pidFile = Path.Combine(bundle.Directory, "pid");
        var created = bundle.WithFiles("create", "--bundle", bundle.Directory, "--pid-file", pidFile, id);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal(((int)bundle.State(id)["pid"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(pidFile));
        Assert.True(bundle.Runtime("delete", "--force", id).ExitCode == 0);
    }

    private static bool IsLive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The freezer's own word: v1 freezer.state, v2 cgroup.events "frozen 1".</summary>
    private static bool Frozen(string id) =>
        File.Exists($"/sys/fs/cgroup/freezer/{id}/freezer.state")
            ? File.ReadAllText($"/sys/fs/cgroup/freezer/{id}/freezer.state").Trim() == "FROZEN"
            : File.ReadAllText($"/sys/fs/cgroup/{id}/cgroup.events").Contains("frozen 1", StringComparison.Ordinal);

    private static string Readlink(string path) => new FileInfo(path).LinkTarget ?? "";

    private static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            Thread.Sleep(50);
        }
    }
}
