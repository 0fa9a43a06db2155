namespace Anchor.IntegrationTests;

/// <summary>
/// attach and start -a/-i through the monitor's attach socket: live output, stdin to -i containers,
/// StdinOnce, exit codes, several clients, detaching, signal proxying and docker's refusals.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class AttachTests(AnchorFixture anchor)
{
    private const string Ticks = "i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.2; done";

    [Fact]
    public void Attach_RunningContainer_SeesLiveOutput()
    {
        WithContainer("it-attach-live", name =>
        {
            anchor.ShDetached(name, Ticks);
            using var client = new AttachedClient(anchor, "attach", name);
            client.WaitForOutput("tick-");
            // Output that the container writes after we attached arrives while it runs.
            var seen = client.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0];
            var next = int.Parse(seen["tick-".Length..]) + 3;
            client.WaitForOutput($"tick-{next}\n");
            Assert.False(client.HasExited, client.Describe());
        });
    }

    [Fact]
    public void Attach_Stdin_ReachesInteractiveContainer()
    {
        var marker = "typed-" + Guid.NewGuid().ToString("N")[..8];
        WithContainer("it-attach-stdin", name =>
        {
            anchor.RunDetached(name, ["-i"], "cat");
            using var client = new AttachedClient(anchor, "attach", name);
            client.Write(marker + "\n");
            client.WaitForOutput(marker + "\n");
            Assert.Contains(marker, anchor.LogLines(name));
        });
    }

    [Fact]
    public void StartAttachInteractive_PipedStdin_PrintsAndExitsWithTheCode()
    {
        WithContainer("it-start-ai", name =>
        {
            var id = anchor.Ok("create", "-i", "--name", name, AnchorFixture.Image, "sh").Out;
            var start = anchor.Anchor(["start", "-ai", name], stdin: "echo hi; exit 3\n");
            Assert.True(start.ExitCode == 3, start.ToString());
            Assert.Equal("hi", start.Out);
            Assert.StartsWith("Exited (3)", anchor.Status(id));
        });
    }

    [Fact]
    public void StartAttachInteractive_Tty_GivesAShell()
    {
        WithContainer("it-start-ait", name =>
        {
            anchor.Ok("create", "-it", "--name", name, AnchorFixture.Image, "sh");
            var start = anchor.Anchor(["start", "-ai", name], stdin: "echo hi; exit 3\n");
            Assert.True(start.ExitCode == 3, start.ToString());
            // The pty echoes the typed line; the shell's answer is a line of its own.
            Assert.Contains("\nhi\n", start.Stdout.Replace("\r", "", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void StartAttachInteractive_StdinOnce_ContainerSeesEndOfFile()
    {
        WithContainer("it-start-once", name =>
        {
            anchor.Ok("create", "-i", "--name", name, AnchorFixture.Image, "sh", "-c", "cat; echo eof-seen; exit 6");
            var start = anchor.Anchor(["start", "-ai", name], stdin: "a\nb\n");
            Assert.True(start.ExitCode == 6, start.ToString());
            Assert.Equal("a\nb\neof-seen", start.Out);
        });
    }

    [Fact]
    public void StartAttach_NothingLostAtStartUp_StreamsStaySeparate()
    {
        WithContainer("it-start-a", name =>
        {
            anchor.Ok("create", "--name", name, AnchorFixture.Image, "sh", "-c", "echo first; echo second >&2; exit 5");
            var start = anchor.Anchor(["start", "-a", name]);
            Assert.True(start.ExitCode == 5, start.ToString());
            Assert.Equal("first", start.Out);
            Assert.Equal("second", start.Err);
        });
    }

    [Fact]
    public void Attach_StoppedContainer_IsRefused()
    {
        WithContainer("it-attach-stopped", name =>
        {
            anchor.Ok("create", "--name", name, AnchorFixture.Image, "true");
            var attach = anchor.Anchor(["attach", name]);
            Assert.Equal(1, attach.ExitCode);
            Assert.Equal("You cannot attach to a stopped container, start it first", attach.Err);

            var missing = anchor.Anchor(["attach", "no-such-container-x"]);
            Assert.Equal(1, missing.ExitCode);
            Assert.Equal("Error: No such container: no-such-container-x", missing.Err);

            // Both inspect the container first: docker's client words the missing one itself.
            var start = anchor.Anchor(["start", "-a", "no-such-container-x"]);
            Assert.Equal(1, start.ExitCode);
            Assert.Equal("Error: No such container: no-such-container-x", start.Err);
        });
    }

    [Fact]
    public void Attach_TwoClients_BothSeeOutputAndTheExitCode()
    {
        WithContainer("it-attach-two", name =>
        {
            anchor.ShDetached(name, $"trap 'echo bye; exit 9' TERM; {Ticks}");
            using var first = new AttachedClient(anchor, "attach", name);
            using var second = new AttachedClient(anchor, "attach", "--sig-proxy=false", name);
            first.WaitForOutput("tick-");
            second.WaitForOutput("tick-");

            anchor.Ok("stop", name);
            Assert.Equal(9, first.WaitForExit());
            Assert.Equal(9, second.WaitForExit());
            Assert.Contains("bye\n", first.Stdout);
            Assert.Contains("bye\n", second.Stdout);
        });
    }

    [Fact]
    public void Attach_ClientLeaves_ContainerKeepsRunningWithItsStdin()
    {
        WithContainer("it-attach-leave", name =>
        {
            var id = anchor.RunDetached(name, ["-i"], "cat");
            using (var client = new AttachedClient(anchor, "attach", name))
            {
                client.Write("one\n");
                client.WaitForOutput("one\n");
                // Not StdinOnce (run -d -i): the client's end of input closes nothing in the container.
                client.CloseStdin();
                Thread.Sleep(300);
            }

            Thread.Sleep(300);
            Assert.True(anchor.IsListedAsRunning(id), $"the container stopped when its client left: {anchor.Status(id)}");
            using var again = new AttachedClient(anchor, "attach", name);
            again.Write("two\n");
            again.WaitForOutput("two\n");
        });
    }

    [Fact]
    public void Attach_DetachKeys_DetachLeavingTheContainerRunning()
    {
        WithContainer("it-attach-detach", name =>
        {
            var id = anchor.RunDetached(name, ["-i", "-t"], "sh");
            using var client = new AttachedClient(anchor, "attach", name);
            client.Write("echo in-$((40+2))\n");
            client.WaitForOutput("in-42");
            client.Write("\x10\x11");
            Assert.Equal(0, client.WaitForExit());
            Assert.Contains("read escape sequence", client.Stderr);
            Assert.True(anchor.IsListedAsRunning(id), $"detaching stopped the container: {anchor.Status(id)}");

            using var custom = new AttachedClient(anchor, "attach", "--detach-keys", "ctrl-x", name);
            custom.Write("echo again-$((1+1))\n");
            custom.WaitForOutput("again-2");
            custom.Write("\x18");
            Assert.Equal(0, custom.WaitForExit());
            Assert.True(anchor.IsListedAsRunning(id));
        });
    }

    [Fact]
    public void Attach_RunDetachedTty_GetsTheShellAndItsExitCode()
    {
        WithContainer("it-attach-shell", name =>
        {
            var id = anchor.RunDetached(name, ["-i", "-t"], "sh");
            using var client = new AttachedClient(anchor, "attach", name);
            client.Write("tty; exit 7\n");
            Assert.Equal(7, client.WaitForExit());
            Assert.Contains("/dev/pts/0", client.Stdout);
            Assert.StartsWith("Exited (7)", anchor.Status(id));
        });
    }

    [Fact]
    public void Attach_SigProxy_ForwardsSigtermToTheContainer()
    {
        WithContainer("it-attach-sig", name =>
        {
            anchor.ShDetached(name, $"trap 'echo got-term; exit 4' TERM; {Ticks}");
            using var client = new AttachedClient(anchor, "attach", name);
            client.WaitForOutput("tick-");
            ProcessRunner.Signal(client.Pid, "TERM");
            Assert.Equal(4, client.WaitForExit());
            Assert.Contains("got-term", client.Stdout);
        });
    }

    [Fact]
    public void Monitor_AttachSocket_IsPrivateAndGoesWithTheContainer()
    {
        WithContainer("it-attach-sock", name =>
        {
            var id = anchor.ShDetached(name, Detached.Forever);
            var socket = Path.Combine(anchor.RunRoot, "containers", id, "attach");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
            anchor.Ok("stop", "-t", "1", name);
            Detached.Eventually(() => !File.Exists(socket), TimeSpan.FromSeconds(5), () => $"{socket} is still there after stop");
        });
    }

    [Fact]
    public void Attach_UnderATerminal_ForwardsTheWindowSize()
    {
        WithContainer("it-attach-winsize", name =>
        {
            anchor.RunDetached(name, ["-i", "-t"], "sh");
            var attach = string.Join(' ', new[] { anchor.Bin }.Concat(anchor.StoreArgs).Concat(["attach", name]).Select(ProcessRunner.ShellQuote));
            // script(1) gives attach a terminal of 33 rows and 101 columns; the container's pty must say so.
            using var client = new AttachedClient("script", "-qec", $"stty rows 33 cols 101; {attach}", "/dev/null");
            Thread.Sleep(500);
            client.Write("stty size; exit 5\n");
            Assert.Equal(5, client.WaitForExit());
            Assert.Contains("33 101", client.Stdout);
        });
    }

    [Fact]
    public void StartAttach_RunningContainer_AttachesToIt()
    {
        WithContainer("it-start-a-running", name =>
        {
            anchor.ShDetached(name, $"trap 'exit 8' TERM; {Ticks}");
            using var client = new AttachedClient(anchor, "start", "-a", name);
            client.WaitForOutput("tick-");
            anchor.Ok("stop", name);
            Assert.Equal(8, client.WaitForExit());
        });
    }

    /// <summary>Runs <paramref name="test"/> with a unique container name and removes that container afterwards.</summary>
    private void WithContainer(string prefix, Action<string> test)
    {
        var name = Detached.UniqueName(prefix);
        try
        {
            test(name);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }
}
