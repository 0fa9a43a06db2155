namespace Anchor.IntegrationTests;

/// <summary><c>anchor exec</c> into a running detached container.</summary>
[Collection(AnchorCollection.Name)]
public sealed class ExecTests(AnchorFixture anchor)
{
    /// <summary>Runs the test body against a fresh running container, removed afterwards.</summary>
    private void WithContainer(Action<string, string> body, string script = Detached.Forever, params string[] options)
    {
        var name = Detached.UniqueName("it-exec");
        try
        {
            var id = anchor.ShDetached(name, script, options);
            body(name, id);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    private ProcessResult Exec(params string[] args) => anchor.Anchor(new[] { "exec" }.Concat(args), timeout: TimeSpan.FromSeconds(15));

    [Fact]
    public void Exec_SeesTheContainersHostname() => WithContainer(
        (name, _) =>
        {
            var result = Exec(name, "hostname");
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("exec-host", result.Out);
        },
        Detached.Forever,
        "--hostname",
        "exec-host");

    [Fact]
    public void Exec_JoinsEveryNamespaceAndTheCgroupOfTheContainer() => WithContainer((name, _) =>
    {
        // The exec'd shell and the container's PID 1 must be in the same namespaces and cgroups.
        const string script = """
            for ns in ipc mnt net pid uts cgroup; do
              [ "$(readlink /proc/self/ns/$ns)" = "$(readlink /proc/1/ns/$ns)" ] || echo "different $ns namespace"
            done
            [ "$(cat /proc/self/cgroup)" = "$(cat /proc/1/cgroup)" ] || echo "different cgroups: $(cat /proc/self/cgroup) vs $(cat /proc/1/cgroup)"
            echo checked
            """;
        var result = Exec(name, "sh", "-c", script);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("checked", result.Out);
    });

    [Fact]
    public void Exec_IsInTheContainersPidNamespace()
    {
        var marker = "pidns-" + Guid.NewGuid().ToString("N")[..8];
        WithContainer(
            (name, _) =>
            {
                var pid = Exec(name, "sh", "-c", "echo $$");
                Assert.True(pid.ExitCode == 0, pid.ToString());
                Assert.True(int.TryParse(pid.Out, out var n) && n > 1 && n < 1000, $"exec's shell has PID {pid.Out} (expected a small PID other than 1)");

                // PID 1 is the container's command, and /proc lists only the container's few processes.
                var init = Exec(name, "cat", "/proc/1/cmdline");
                Assert.Contains(marker, init.Stdout);
                var procs = Exec(name, "ls", "/proc");
                Assert.True(procs.ExitCode == 0, procs.ToString());
                var pids = procs.Out.Split((char[])['\n', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Where(e => e.All(char.IsAsciiDigit)).ToList();
                Assert.Contains("1", pids);
                Assert.True(pids.Count < 10, $"/proc in the container lists {pids.Count} processes: {string.Join(' ', pids)}");
            },
            $"echo {marker}; {Detached.Forever}");
    }

    [Fact]
    public void Exec_SeesFilesOfTheContainer_AndTheContainerSeesItsFiles() => WithContainer(
        (name, _) =>
        {
            Detached.Eventually(() => Exec(name, "ls", "/from-init").Out == "/from-init", TimeSpan.FromSeconds(5), () => $"ls /from-init: {Exec(name, "ls", "/from-init")}");
            var touch = Exec(name, "touch", "/from-exec");
            Assert.True(touch.ExitCode == 0, touch.ToString());

            // The container's own process sees what exec wrote: it copies it to its log.
            Detached.Eventually(() => anchor.LogLines(name).Contains("/from-exec"), TimeSpan.FromSeconds(5), () => $"the container did not see /from-exec; logs: {anchor.Anchor(["logs", name])}");
            Assert.False(File.Exists("/from-exec"), "exec wrote to the host's root");
        },
        "touch /from-init; while [ ! -e /from-exec ]; do sleep 0.1; done; ls /from-exec; " + Detached.Forever);

    [Fact]
    public void Exec_EnvWorkdirAndUser() => WithContainer((name, _) =>
    {
        var env = Exec("-e", "X=1", "-e", "GREETING=hello world", name, "sh", "-c", "echo \"$X $GREETING\"");
        Assert.True(env.ExitCode == 0, env.ToString());
        Assert.Equal("1 hello world", env.Out);

        var pwd = Exec("-w", "/tmp", name, "pwd");
        Assert.True(pwd.ExitCode == 0, pwd.ToString());
        Assert.Equal("/tmp", pwd.Out);

        var user = Exec("-u", "65534", name, "id", "-u");
        Assert.True(user.ExitCode == 0, user.ToString());
        Assert.Equal("65534", user.Out);

        var byName = Exec("-u", "nobody", name, "id");
        Assert.True(byName.ExitCode == 0, byName.ToString());
        Assert.StartsWith("uid=65534(nobody) gid=65534(", byName.Out);

        var all = Exec("-e", "X=2", "-w", "/etc", "-u", "65534:65534", name, "sh", "-c", "echo $X $(pwd) $(id -u) $(id -g)");
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Equal("2 /etc 65534 65534", all.Out);

        // The default user is the container's (root), the default directory its workdir (/).
        var defaults = Exec(name, "sh", "-c", "echo $(id -u) $(pwd)");
        Assert.Equal("0 /", defaults.Out);
    });

    [Fact]
    public void Exec_InheritsTheContainersEnvWorkdirAndUser() => WithContainer(
        (name, _) =>
        {
            var result = Exec(name, "sh", "-c", "echo $FOO $(pwd) $(id -u)");
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("bar /tmp 65534", result.Out);

            // -e overrides the container's value; -u 0 overrides its user.
            Assert.Equal("over 0", Exec("-e", "FOO=over", "-u", "0", name, "sh", "-c", "echo $FOO $(id -u)").Out);
        },
        Detached.Forever,
        "-e",
        "FOO=bar",
        "-w",
        "/tmp",
        "-u",
        "65534");

    [Fact]
    public void Exec_UnknownUser_Fails126() => WithContainer((name, _) =>
    {
        var result = Exec("-u", "nosuchuser", name, "true");
        Assert.True(result.ExitCode == 126, result.ToString());
        Assert.Contains("nosuchuser", result.Stdout); // docker 20.10: a failed exec start is on stdout
    });

    [Fact]
    public void Exec_MissingWorkdir_Fails126AndCreatesNothing() => WithContainer((name, _) =>
    {
        var result = Exec("-w", "/nonexist", name, "pwd");
        Assert.True(result.ExitCode == 126, result.ToString());
        Assert.Contains("/nonexist", result.Stdout);
        Assert.NotEqual(0, Exec(name, "test", "-e", "/nonexist").ExitCode);
    });

    [Fact]
    public void Exec_Interactive_PassesStdin_WithoutItStdinIsEmpty() => WithContainer((name, _) =>
    {
        var data = "first line\nsecond line\n";
        var cat = anchor.Anchor(["exec", "-i", name, "cat"], stdin: data, timeout: TimeSpan.FromSeconds(15));
        Assert.True(cat.ExitCode == 0, cat.ToString());
        Assert.Equal(data, cat.Stdout);

        var wc = anchor.Anchor(["exec", "-i", name, "wc", "-l"], stdin: data, timeout: TimeSpan.FromSeconds(15));
        Assert.Equal("2", wc.Out.Trim());

        var noStdin = anchor.Anchor(["exec", name, "cat"], stdin: data, timeout: TimeSpan.FromSeconds(15));
        Assert.True(noStdin.ExitCode == 0, noStdin.ToString());
        Assert.Equal("", noStdin.Stdout);
    });

    [Fact]
    public void Exec_StdoutAndStderr_AreSeparate() => WithContainer((name, _) =>
    {
        var result = Exec(name, "sh", "-c", "echo out; echo err >&2");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("out", result.Out);
        Assert.Equal("err", result.Err);
    });

    [Fact]
    public void Exec_Tty_IsATerminal() => WithContainer((name, _) =>
    {
        var command = string.Join(' ', new[] { anchor.Bin }.Concat(anchor.StoreArgs).Concat(["exec", "-t", name, "sh", "-c", "test -t 0 && test -t 1 && echo isatty; tty"]).Select(ProcessRunner.ShellQuote));
        var result = RunUnderScript(command);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("isatty", result.Stdout);
        Assert.Matches(@"/dev/pts/\d+", result.Stdout);

        var plain = Exec(name, "sh", "-c", "test -t 1 && echo isatty || echo notatty");
        Assert.Equal("notatty", plain.Out);
    });

    [Fact]
    public void Exec_Detach_ReturnsAtOnceAndLeavesTheProcessRunning() => WithContainer((name, _) =>
    {
        var detached = Exec("-d", name, "sh", "-c", "echo started > /detached; sleep 1234");
        Assert.True(detached.ExitCode == 0, detached.ToString());
        Assert.Equal("", detached.Out);

        Detached.Eventually(
            () => Exec(name, "ps").Stdout.Contains("sleep 1234", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5),
            () => $"the detached process is not running: {Exec(name, "ps")}");
        Assert.Equal("started", Exec(name, "cat", "/detached").Out);
    });

    [Fact]
    public void Exec_ReturnsTheCommandsExitCode() => WithContainer((name, _) =>
    {
        Assert.Equal(0, Exec(name, "true").ExitCode);
        Assert.Equal(5, Exec(name, "sh", "-c", "exit 5").ExitCode);
        Assert.Equal(1, Exec(name, "false").ExitCode);

        // docker: every failed exec start is 126, with runc's message (moby daemon/exec.go).
        var missing = Exec(name, "nosuchcommand");
        Assert.True(missing.ExitCode == 126, missing.ToString());
        Assert.Equal("OCI runtime exec failed: exec failed: unable to start container process: exec: \"nosuchcommand\": executable file not found in $PATH: unknown", missing.Out);

        var notExecutable = Exec(name, "/etc/passwd");
        Assert.True(notExecutable.ExitCode == 126, notExecutable.ToString());

        // A signal-killed command: 128 + signal.
        var killed = Exec(name, "sh", "-c", "kill -KILL $$");
        Assert.True(killed.ExitCode == 137, killed.ToString());
    });

    [Fact]
    public void Exec_IntoAStoppedContainer_FailsIsNotRunning()
    {
        var name = Detached.UniqueName("it-exec-stopped");
        try
        {
            var id = anchor.ShDetached(name, "exit 0");
            Assert.Equal(0, anchor.WaitExit(name));
            var result = Exec(name, "true");
            Assert.True(result.ExitCode != 0, result.ToString());
            Assert.Contains("is not running", result.Stderr);
            Assert.StartsWith("Exited (0)", anchor.Status(id));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Exec_ProcessesDieWithTheContainer() => WithContainer((name, id) =>
    {
        var marker = "execbg-" + Guid.NewGuid().ToString("N")[..8];
        // A loop, so that sh (whose command line holds the marker) does not exec itself away into sleep.
        var detached = Exec("-d", name, "sh", "-c", $"echo {marker}; {Detached.Forever}");
        Assert.True(detached.ExitCode == 0, detached.ToString());
        Detached.Eventually(() => Detached.ContainerPids(marker).Count > 0, TimeSpan.FromSeconds(5), () => "the exec'd process is not running");
        var pids = Detached.ContainerPids(marker);

        anchor.Ok("kill", name);
        Assert.Equal(137, anchor.WaitExit(name));
        Detached.Eventually(() => !pids.Any(Detached.IsAlive), TimeSpan.FromSeconds(3), () => "exec'd processes outlived their container");
    });

    [Fact]
    public void Exec_EndsWhenTheContainerIsKilled() => WithContainer((name, _) =>
    {
        var args = anchor.StoreArgs.Concat(["exec", name, "sleep", "100"]).ToList();
        using var exec = ProcessRunner.Start(anchor.Bin, args);
        Detached.Eventually(() => Exec(name, "ps").Stdout.Contains("sleep 100", StringComparison.Ordinal), TimeSpan.FromSeconds(5), () => "the exec'd sleep does not run");
        anchor.Ok("kill", name);
        var result = ProcessRunner.Collect(exec, anchor.Bin, args, null, TimeSpan.FromSeconds(10));
        Assert.True(result.ExitCode == 137, result.ToString());
    });

    [Fact]
    public async Task Exec_InteractiveTty_ReadsInputAndReturnsTheExitCode()
    {
        var name = Detached.UniqueName("it-exec-it");
        try
        {
            anchor.ShDetached(name, Detached.Forever);
            var command = string.Join(' ', new[] { anchor.Bin }.Concat(anchor.StoreArgs).Concat(["exec", "-it", name, "sh", "-c", "read x; echo got-$x; exit 3"]).Select(ProcessRunner.ShellQuote));
            using var process = ProcessRunner.Start("script", ["-qec", command, "/dev/null"]);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();

            // Keep script's stdin open until the command is done: an early EOF would hang up the terminal.
            await process.StandardInput.WriteAsync("hello\n");
            await process.StandardInput.FlushAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
            {
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    Assert.Fail("exec -it under script did not finish within 15 s");
                }
            }

            process.StandardInput.Close();
            var result = new ProcessResult(process.ExitCode, await stdout, await stderr);
            Assert.True(result.ExitCode == 3, result.ToString());
            Assert.Contains("got-hello", result.Stdout);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Exec_TenAtOnce_EachGetsItsOwnOutputAndCode() => WithContainer((name, _) =>
    {
        // Dedicated threads, released together: thread-pool workers would be handed out one a second.
        using var barrier = new Barrier(10);
        var execs = Enumerable.Range(0, 10).Select(i => Task.Factory.StartNew(
            () =>
            {
                barrier.SignalAndWait(TimeSpan.FromSeconds(10));
                return (i, result: Exec(name, "sh", "-c", $"echo out-{i}; echo err-{i} >&2; exit {i}"));
            },
            TaskCreationOptions.LongRunning)).ToArray();
        Assert.True(Task.WaitAll(execs, TimeSpan.FromSeconds(20)), "ten concurrent execs did not finish within 20 s");
        Assert.All(execs.Select(t => t.Result), r =>
        {
            Assert.True(r.result.ExitCode == r.i, r.result.ToString());
            Assert.Equal($"out-{r.i}", r.result.Out);
            Assert.Equal($"err-{r.i}", r.result.Err);
        });
    });

    private static ProcessResult RunUnderScript(string command)
    {
        using var process = ProcessRunner.Start("script", ["-qec", command, "/dev/null"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(15)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("script did not finish within 15 s");
        }

        process.StandardInput.Close();
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
