using System.Diagnostics;

namespace Anchor.IntegrationTests;

/// <summary>
/// Containers that outlive the command: run -d, create/start, stop, restart, kill, wait, rm -f,
/// name/ID/prefix resolution, and what a dead monitor leaves.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class DetachedLifecycleTests(AnchorFixture anchor)
{
    [Fact]
    public void RunDetached_ContainerSurvivesTheCli()
    {
        var name = Detached.UniqueName("it-survive");
        var marker = "survive-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            // The CLI has exited when Anchor() returns: only the monitor and the container remain.
            var id = anchor.ShDetached(name, $"echo {marker}; {Detached.Forever}");
            Thread.Sleep(500);

            Assert.True(anchor.IsListedAsRunning(id), $"ps does not list {id} as running: {anchor.Anchor(["ps", "-a", "--no-trunc"])}");
            Assert.StartsWith("Up ", anchor.Status(id));

            var pids = Detached.ContainerPids(marker);
            Assert.True(pids.Count >= 1, $"no host process runs the container's command ({marker})");
            Assert.All(pids, pid => Assert.True(Detached.IsAlive(pid), $"container process {pid} is not alive"));
            Assert.Single(Detached.MonitorPids(id));

            // inspect's State.Pid is the container's process as the host sees it.
            var pid = anchor.Ok("inspect", "-f", "{{.State.Pid}}", name);
            Assert.Contains(int.Parse(pid.Out), pids);

            // ps, by name.
            var ps = anchor.Ok("ps");
            Assert.Contains(ps.Stdout.Split('\n'), l => l.StartsWith(id[..12], StringComparison.Ordinal) && l.TrimEnd().EndsWith(name, StringComparison.Ordinal));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void RunDetached_HostnameIsTheShortId()
    {
        var name = Detached.UniqueName("it-hostname");
        try
        {
            var id = anchor.ShDetached(name, Detached.Forever);
            Assert.Equal(id[..12], anchor.Ok("exec", name, "hostname").Out);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Stop_SendsSigterm_ContainerEndsWithItsTrapCode()
    {
        var name = Detached.UniqueName("it-stop");
        try
        {
            var id = anchor.ShDetached(name, $"trap 'exit 3' TERM; {Detached.Forever}");
            var clock = Stopwatch.StartNew();
            var stop = anchor.Ok("stop", name);
            clock.Stop();
            Assert.Equal(name, stop.Out);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stop took {clock.Elapsed.TotalSeconds:0.0} s although the container exits on TERM");

            Assert.StartsWith("Exited (3)", anchor.Status(id));
            Assert.False(anchor.IsListedAsRunning(id));
            Assert.Equal(3, anchor.WaitExit(id));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Stop_ContainerIgnoringTerm_IsKilledAfterTheTimeout()
    {
        var name = Detached.UniqueName("it-stop-kill");
        try
        {
            var id = anchor.ShDetached(name, $"trap '' TERM; {Detached.Forever}");
            var clock = Stopwatch.StartNew();
            anchor.Ok("stop", "-t", "1", id[..12]);
            clock.Stop();
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"stop -t 1 returned after {clock.Elapsed.TotalSeconds:0.00} s: it did not wait for the container");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"stop -t 1 took {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.StartsWith("Exited (137)", anchor.Status(id));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Stop_T0_KillsAtOnce()
    {
        var name = Detached.UniqueName("it-stop-t0");
        try
        {
            var id = anchor.ShDetached(name, $"trap '' TERM; {Detached.Forever}");
            var clock = Stopwatch.StartNew();
            anchor.Ok("stop", "-t", "0", name);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"stop -t 0 took {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.StartsWith("Exited (137)", anchor.Status(id));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Stop_UsesTheStopSignalOption()
    {
        var name = Detached.UniqueName("it-stopsig");
        try
        {
            var id = anchor.ShDetached(name, $"trap 'exit 4' USR1; trap '' TERM; {Detached.Forever}", "--stop-signal", "SIGUSR1");
            var clock = Stopwatch.StartNew();
            anchor.Ok("stop", "-t", "5", name);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"stop took {clock.Elapsed.TotalSeconds:0.0} s: SIGUSR1 was not sent");
            Assert.StartsWith("Exited (4)", anchor.Status(id));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Stop_WithSignalFlag_SendsThatSignal()
    {
        var name = Detached.UniqueName("it-stop-s");
        try
        {
            var id = anchor.ShDetached(name, $"trap 'exit 9' INT; trap '' TERM; {Detached.Forever}");
            var clock = Stopwatch.StartNew();
            anchor.Ok("stop", "-s", "INT", "-t", "5", name);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"stop -s INT took {clock.Elapsed.TotalSeconds:0.0} s: SIGINT was not sent");
            Assert.Equal(9, anchor.WaitExit(id));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Stop_UsesTheImagesStopSignal()
    {
        var name = Detached.UniqueName("it-img-stopsig");
        var image = "it-stopsig-" + Guid.NewGuid().ToString("N")[..8] + ":latest";
        try
        {
            var import = anchor.Anchor(["import", "--change", "CMD [\"sh\"]", "--change", "STOPSIGNAL SIGUSR1", anchor.BusyboxTar, image], timeout: TimeSpan.FromSeconds(60));
            Assert.True(import.ExitCode == 0, import.ToString());
            var run = anchor.Anchor(["run", "-d", "--name", name, image, "sh", "-c", $"trap 'exit 4' USR1; trap '' TERM; {Detached.Forever}"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            var clock = Stopwatch.StartNew();
            anchor.Ok("stop", "-t", "5", name);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"stop took {clock.Elapsed.TotalSeconds:0.0} s: the image's STOPSIGNAL was not sent");
            Assert.Equal(4, anchor.WaitExit(name));
        }
        finally
        {
            anchor.ForceRemove(name);
            anchor.Anchor(["rmi", image]);
        }
    }

    [Fact]
    public void StopOfAnExitedContainer_Succeeds_KillOfIt_FailsNotRunning()
    {
        var name = Detached.UniqueName("it-stop-exited");
        try
        {
            var id = anchor.ShDetached(name, "exit 6");
            Assert.Equal(6, anchor.WaitExit(name));
            var stop = anchor.Anchor(["stop", name]);
            Assert.True(stop.ExitCode == 0, stop.ToString());
            Assert.Equal(name, stop.Out);
            var kill = anchor.Anchor(["kill", name]);
            Assert.True(kill.ExitCode == 1, kill.ToString());
            Assert.Equal($"Error response from daemon: Cannot kill container: {name}: Container {id} is not running", kill.Err);
            Assert.StartsWith("Exited (6)", anchor.Status(id));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Stop_PausedContainer_ThawsItAndDeliversTheSignal_RmForceOfAPausedOneCleansUp()
    {
        var name = Detached.UniqueName("it-paused");
        try
        {
            var id = anchor.ShDetached(name, $"trap 'exit 5' TERM; {Detached.Forever}");
            anchor.Ok("pause", name);
            Assert.Contains("Paused", anchor.Status(id));
            var clock = Stopwatch.StartNew();
            anchor.Ok("stop", "-t", "5", name);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"stop of a paused container took {clock.Elapsed.TotalSeconds:0.0} s: TERM did not reach it");
            Assert.Equal(5, anchor.WaitExit(name));

            anchor.Ok("start", name);
            anchor.Ok("pause", name);
            anchor.Ok("rm", "-f", name);
            Assert.DoesNotContain(id, anchor.ContainerIds());
            Detached.Eventually(() => Detached.CgroupsOf(id).Count == 0 && Detached.MonitorPids(id).Count == 0, TimeSpan.FromSeconds(3), () => "cgroup or monitor left after rm -f of a paused container");
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Kill_Gives137()
    {
        var name = Detached.UniqueName("it-kill");
        try
        {
            var id = anchor.ShDetached(name, Detached.Forever);
            var kill = anchor.Ok("kill", name);
            Assert.Equal(name, kill.Out);
            Assert.Equal(137, anchor.WaitExit(name));
            Assert.StartsWith("Exited (137)", anchor.Status(id));
            Assert.Empty(Detached.MonitorPids(id));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void KillWithSignal_ReachesTheTrap_ContainerKeepsRunning()
    {
        var name = Detached.UniqueName("it-hup");
        try
        {
            var id = anchor.ShDetached(name, $"trap 'echo got-hup' HUP; echo ready; {Detached.Forever}");
            Detached.Eventually(() => anchor.LogLines(name).Contains("ready"), TimeSpan.FromSeconds(5), () => "the container did not start its trap");
            anchor.Ok("kill", "-s", "HUP", name);
            Detached.Eventually(() => anchor.LogLines(name).Contains("got-hup"), TimeSpan.FromSeconds(5), () => $"the HUP trap did not run; logs: {anchor.Anchor(["logs", name])}");
            Assert.True(anchor.IsListedAsRunning(id), "the container stopped after a trapped HUP");
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Wait_PrintsTheExitCode()
    {
        var name = Detached.UniqueName("it-wait");
        try
        {
            var id = anchor.ShDetached(name, "sleep 0.5; exit 42");
            var wait = anchor.Anchor(["wait", id], timeout: TimeSpan.FromSeconds(10));
            Assert.True(wait.ExitCode == 0, wait.ToString());
            Assert.Equal("42", wait.Out.Trim());

            // Waiting on an exited container prints its code at once.
            Assert.Equal(42, anchor.WaitExit(name));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Wait_SeveralContainers_PrintsEachCodeInOrder()
    {
        var a = Detached.UniqueName("it-wait-a");
        var b = Detached.UniqueName("it-wait-b");
        try
        {
            anchor.ShDetached(a, "sleep 0.4; exit 3");
            anchor.ShDetached(b, "exit 4");
            var wait = anchor.Anchor(["wait", a, b], timeout: TimeSpan.FromSeconds(10));
            Assert.True(wait.ExitCode == 0, wait.ToString());
            Assert.Equal("3\n4", wait.Out);
        }
        finally
        {
            anchor.ForceRemove(a, b);
        }
    }

    [Fact]
    public void StopThenStart_RunsAgain_RootfsPersists()
    {
        var name = Detached.UniqueName("it-start");
        try
        {
            var id = anchor.ShDetached(name, $"trap 'exit 0' TERM; echo run >> /runs; {Detached.Forever}");
            Detached.Eventually(() => anchor.Anchor(["exec", name, "cat", "/runs"]).Out == "run", TimeSpan.FromSeconds(5), () => "the first run did not write /runs");

            anchor.Ok("stop", name);
            Assert.StartsWith("Exited (0)", anchor.Status(id));

            var start = anchor.Ok("start", name);
            Assert.Equal(name, start.Out);
            Assert.True(anchor.IsListedAsRunning(id), $"start did not bring it back: {anchor.Status(id)}");

            // The same rootfs: the second run appended to the file of the first.
            Detached.Eventually(
                () => anchor.Anchor(["exec", name, "cat", "/runs"]).Out == "run\nrun",
                TimeSpan.FromSeconds(5),
                () => $"/runs after stop+start: {anchor.Anchor(["exec", name, "cat", "/runs"])}");
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Start_RunningContainer_SucceedsWithoutStartingAnother()
    {
        var name = Detached.UniqueName("it-start-running");
        try
        {
            var id = anchor.ShDetached(name, Detached.Forever);
            var pids = Detached.MonitorPids(id);
            // moby answers 304 Not Modified ("container is already running"), which docker's client takes as success.
            var start = anchor.Anchor(["start", name]);
            Assert.True(start.ExitCode == 0 && start.Out == name && start.Err.Length == 0, $"start of a running container: {start}");
            Assert.True(anchor.IsListedAsRunning(id));
            Assert.Equal(pids, Detached.MonitorPids(id));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Restart_ContainerIgnoringTerm_IsKilledAfterTheTimeoutAndComesBack()
    {
        var name = Detached.UniqueName("it-restart-kill");
        try
        {
            var id = anchor.ShDetached(name, $"trap '' TERM; echo run; {Detached.Forever}");
            var clock = Stopwatch.StartNew();
            anchor.Ok("restart", "-t", "1", name);
            clock.Stop();
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"restart -t 1 returned after {clock.Elapsed.TotalSeconds:0.00} s");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"restart -t 1 took {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(anchor.IsListedAsRunning(id), $"not running after restart: {anchor.Status(id)}");
            Detached.Eventually(() => anchor.LogLines(name).Length == 2, TimeSpan.FromSeconds(5), () => $"logs: {string.Join('|', anchor.LogLines(name))}");
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Restart_OfAnExitedContainer_StartsIt()
    {
        var name = Detached.UniqueName("it-restart-exited");
        try
        {
            var id = anchor.ShDetached(name, $"echo run; [ -e /again ] && {Detached.Forever}; touch /again");
            Assert.Equal(0, anchor.WaitExit(name));
            anchor.Ok("restart", name);
            Assert.True(anchor.IsListedAsRunning(id), $"not running after restart: {anchor.Status(id)}");
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Restart_StartsANewProcessInTheSameContainer()
    {
        var name = Detached.UniqueName("it-restart");
        var marker = "restart-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var id = anchor.ShDetached(name, $"trap 'exit 0' TERM; echo {marker} >> /runs; {Detached.Forever}");
            Detached.Eventually(() => Detached.ContainerPids(marker).Count > 0, TimeSpan.FromSeconds(5), () => "no container process");
            var before = Detached.ContainerPids(marker);

            var restart = anchor.Ok("restart", "-t", "5", name);
            Assert.Equal(name, restart.Out);
            Assert.True(anchor.IsListedAsRunning(id), $"not running after restart: {anchor.Status(id)}");
            Detached.Eventually(
                () => anchor.Anchor(["exec", name, "cat", "/runs"]).Out == $"{marker}\n{marker}",
                TimeSpan.FromSeconds(5),
                () => $"/runs after restart: {anchor.Anchor(["exec", name, "cat", "/runs"])}");
            var after = Detached.ContainerPids(marker);
            Assert.NotEmpty(after);
            Assert.Empty(after.Intersect(before));
            Assert.All(before, pid => Assert.False(Detached.IsAlive(pid), $"the old process {pid} survived the restart"));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void CreateThenStartThenWait()
    {
        var name = Detached.UniqueName("it-create");
        try
        {
            var create = anchor.Anchor(["create", "--name", name, AnchorFixture.Image, "sh", "-c", "echo created-and-started; exit 7"]);
            Assert.True(create.ExitCode == 0, create.ToString());
            var id = create.Out.Trim();
            Assert.Matches(Detached.FullId(), id);
            Assert.Equal("Created", anchor.Status(id));
            Assert.Empty(anchor.LogLines(name));

            anchor.Ok("start", id[..10]);
            Assert.Equal(7, anchor.WaitExit(name));
            Assert.StartsWith("Exited (7)", anchor.Status(id));
            Assert.Equal(["created-and-started"], anchor.LogLines(id));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Rm_RunningWithoutForce_FailsAndKeepsIt()
    {
        var name = Detached.UniqueName("it-rm-running");
        try
        {
            var id = anchor.ShDetached(name, Detached.Forever);
            var rm = anchor.Anchor(["rm", name]);
            Assert.True(rm.ExitCode != 0, rm.ToString());
            Assert.Contains("container is running", rm.Stderr);
            Assert.True(anchor.IsListedAsRunning(id), "rm without -f stopped or removed the running container");
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Rm_SeveralWithOneMissing_RemovesTheOthersAndFails1()
    {
        var a = Detached.UniqueName("it-rm-a");
        var b = Detached.UniqueName("it-rm-b");
        var missing = "nosuch-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var idA = anchor.ShDetached(a, "true");
            var idB = anchor.ShDetached(b, "true");
            anchor.WaitExit(a);
            anchor.WaitExit(b);
            var rm = anchor.Anchor(["rm", a, missing, b]);
            Assert.True(rm.ExitCode == 1, rm.ToString());
            Assert.Equal($"{a}\n{b}", rm.Out);
            Assert.Equal($"Error: No such container: {missing}", rm.Err);
            var ids = anchor.ContainerIds();
            Assert.DoesNotContain(idA, ids);
            Assert.DoesNotContain(idB, ids);
        }
        finally
        {
            anchor.ForceRemove(a, b);
        }
    }

    [Fact]
    public void RmForce_RunningContainer_LeavesNoProcessMountOrCgroup()
    {
        var name = Detached.UniqueName("it-rmf");
        var marker = "rmf-" + Guid.NewGuid().ToString("N")[..8];
        string? id = null;
        try
        {
            id = anchor.ShDetached(name, $"echo {marker}; {Detached.Forever}");
            Detached.Eventually(() => Detached.ContainerPids(marker).Count > 0, TimeSpan.FromSeconds(5), () => "no container process");
            Assert.NotEmpty(Detached.CgroupsOf(id));
            var pids = Detached.ContainerPids(marker);

            var rm = anchor.Ok("rm", "-f", name);
            Assert.Equal(name, rm.Out);

            Assert.DoesNotContain(id, anchor.ContainerIds());
            Assert.False(Directory.Exists(Path.Combine(anchor.Root, "containers", id)), "rm -f left the container's directory");
            Assert.Empty(Detached.MountsOf(id));
            Detached.Eventually(() => Detached.CgroupsOf(id).Count == 0, TimeSpan.FromSeconds(3), () => "cgroups left: " + string.Join(", ", Detached.CgroupsOf(id)));
            Detached.Eventually(() => Detached.MonitorPids(id).Count == 0, TimeSpan.FromSeconds(3), () => "the monitor is still running");
            Detached.Eventually(() => !pids.Any(Detached.IsAlive), TimeSpan.FromSeconds(3), () => "container processes still alive: " + string.Join(", ", pids.Where(Detached.IsAlive)));
            Assert.False(Directory.Exists($"/sys/fs/cgroup/memory/anchor/{id}"), "memory cgroup left");
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void RunDetachedWithRm_IsRemovedAfterItExits()
    {
        var name = Detached.UniqueName("it-drm");
        try
        {
            var id = anchor.ShDetached(name, "sleep 0.3; exit 0", "--rm");
            Detached.Eventually(() => !anchor.ContainerIds().Contains(id), TimeSpan.FromSeconds(10), () => $"still listed: {anchor.Status(id)}");
            Assert.False(Directory.Exists(Path.Combine(anchor.Root, "containers", id)), "--rm left the container's directory");
            Detached.Eventually(() => Detached.CgroupsOf(id).Count == 0 && Detached.MonitorPids(id).Count == 0, TimeSpan.FromSeconds(3), () => "cgroup or monitor left");
            Assert.Empty(Detached.MountsOf(id));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void EveryVerb_AcceptsNameFullIdAndPrefix()
    {
        var name = Detached.UniqueName("it-refs");
        try
        {
            var id = anchor.ShDetached(name, $"echo hello; trap 'exit 0' TERM; trap 'true' USR2; {Detached.Forever}");
            foreach (var reference in new[] { name, id, id[..12], id[..5] })
            {
                Detached.Eventually(() => anchor.Anchor(["logs", reference]).Out == "hello", TimeSpan.FromSeconds(5), () => $"logs {reference}: {anchor.Anchor(["logs", reference])}");
                Assert.Equal("ok", anchor.Ok("exec", reference, "echo", "ok").Out);
                anchor.Ok("kill", "-s", "USR2", reference);
            }

            anchor.Ok("stop", id[..7]);
            anchor.Ok("start", id);
            anchor.Ok("restart", id[..12]);
            anchor.Ok("stop", name);
            Assert.Equal(0, anchor.WaitExit(id[..9]));
            anchor.Ok("rm", id[..8]);
            Assert.DoesNotContain(id, anchor.ContainerIds());
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Theory]
    [InlineData("start")]
    [InlineData("stop")]
    [InlineData("restart")]
    [InlineData("kill")]
    [InlineData("wait")]
    [InlineData("logs")]
    [InlineData("rm")]
    [InlineData("exec")]
    public void UnknownContainer_Fails1WithNoSuchContainer(string verb)
    {
        var missing = "nosuch-" + Guid.NewGuid().ToString("N")[..8];
        string[] args = verb == "exec" ? [verb, missing, "true"] : [verb, missing];
        var result = anchor.Anchor(args, timeout: TimeSpan.FromSeconds(10));
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"No such container: {missing}", result.Stderr);
    }

    [Fact]
    public void AmbiguousIdPrefix_Fails1AndChangesNothing()
    {
        var names = new List<string>();
        try
        {
            // 17 containers always contain two whose IDs start with the same hex digit.
            var byFirstDigit = new Dictionary<char, string>();
            string? first = null;
            string? second = null;
            while (second is null)
            {
                var name = Detached.UniqueName("it-ambig");
                names.Add(name);
                var create = anchor.Anchor(["create", "--name", name, AnchorFixture.Image, "true"]);
                Assert.True(create.ExitCode == 0, create.ToString());
                var id = create.Out.Trim();
                if (byFirstDigit.TryGetValue(id[0], out var other))
                {
                    (first, second) = (other, id);
                }
                else
                {
                    byFirstDigit[id[0]] = id;
                }
            }

            var prefix = CommonPrefix(first!, second);
            var rm = anchor.Anchor(["rm", prefix]);
            Assert.True(rm.ExitCode == 1, $"rm {prefix} with two matching containers: {rm}");
            Assert.False(string.IsNullOrWhiteSpace(rm.Stderr), "no error message");
            var ids = anchor.ContainerIds();
            Assert.Contains(first!, ids);
            Assert.Contains(second, ids);

            var start = anchor.Anchor(["start", prefix]);
            Assert.True(start.ExitCode == 1, $"start {prefix}: {start}");
            Assert.Equal("Created", anchor.Status(first!));
            Assert.Equal("Created", anchor.Status(second));
        }
        finally
        {
            anchor.ForceRemove([.. names]);
        }
    }

    [Fact]
    public async Task ParallelRunsWithTheSameName_ExactlyOneWins()
    {
        var name = Detached.UniqueName("it-race");
        var before = anchor.ContainerIds();
        try
        {
            using var barrier = new Barrier(6);
            var runs = Enumerable.Range(0, 6).Select(_ => Task.Factory.StartNew(
                () =>
                {
                    barrier.SignalAndWait(TimeSpan.FromSeconds(10));
                    return anchor.Anchor(["run", "-d", "--name", name, AnchorFixture.Image, "sh", "-c", Detached.Forever], timeout: TimeSpan.FromSeconds(60));
                },
                TaskCreationOptions.LongRunning)).ToList();
            var results = await Task.WhenAll(runs);
            var winners = results.Where(r => r.ExitCode == 0).ToList();
            Assert.True(winners.Count == 1, string.Join("\n====\n", results.Select(r => r.ToString())));
            Assert.All(results.Where(r => r.ExitCode != 0), r =>
            {
                Assert.Equal(125, r.ExitCode);
                Assert.Contains("already in use", r.Stderr);
            });

            var added = anchor.ContainerIds().Except(before).ToList();
            Assert.Equal([winners[0].Out.Trim()], added);
            Assert.True(anchor.IsListedAsRunning(added[0]));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public async Task ConcurrentStarts_OfOneStoppedContainer_RunItOnce()
    {
        var name = Detached.UniqueName("it-start-race");
        var marker = "startrace-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var id = anchor.ShDetached(name, $"echo {marker}; trap 'exit 0' TERM; {Detached.Forever}");
            anchor.Ok("stop", name);
            using var barrier = new Barrier(4);
            var starts = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(
                () =>
                {
                    barrier.SignalAndWait(TimeSpan.FromSeconds(10));
                    return anchor.Anchor(["start", name], timeout: TimeSpan.FromSeconds(30));
                },
                TaskCreationOptions.LongRunning)).ToArray();
            var results = await Task.WhenAll(starts).WaitAsync(TimeSpan.FromSeconds(40));
            Assert.Contains(results, r => r.ExitCode == 0);
            await Task.Delay(500);

            Assert.True(anchor.IsListedAsRunning(id), $"not running: {anchor.Status(id)}");
            var monitors = Detached.MonitorPids(id);
            Assert.True(monitors.Count == 1, $"{monitors.Count} monitors run for one container: {string.Join(", ", monitors)}");
            var processes = Detached.ContainerPids(marker);
            Assert.True(processes.Count == 1, $"{processes.Count} copies of the container's command run: {string.Join(", ", processes)}");
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public async Task TenParallelRunDetached_GiveTenDistinctRunningContainers()
    {
        var before = anchor.ContainerIds();
        var ids = new List<string>();
        try
        {
            using var barrier = new Barrier(10);
            var runs = Enumerable.Range(0, 10).Select(_ => Task.Factory.StartNew(
                () =>
                {
                    barrier.SignalAndWait(TimeSpan.FromSeconds(10));
                    return anchor.Anchor(["run", "-d", AnchorFixture.Image, "sh", "-c", Detached.Forever], timeout: TimeSpan.FromSeconds(60));
                },
                TaskCreationOptions.LongRunning)).ToList();
            var results = await Task.WhenAll(runs);
            lock (ids)
            {
                ids.AddRange(results.Where(r => r.ExitCode == 0).Select(r => r.Out.Trim()));
            }

            Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
            Assert.All(ids, id => Assert.Matches(Detached.FullId(), id));
            Assert.Equal(10, ids.Distinct().Count());

            var ps = anchor.Ok("ps", "--no-trunc");
            var lines = ps.Stdout.Split('\n').Where(l => ids.Any(id => l.StartsWith(id, StringComparison.Ordinal))).ToList();
            Assert.Equal(10, lines.Count);
            Assert.All(lines, l => Assert.Contains(" Up ", l));
            var names = lines.Select(l => l.TrimEnd().Split(' ')[^1]).ToList();
            Assert.Equal(10, names.Distinct().Count());

            var rm = anchor.Anchor(new[] { "rm", "-f" }.Concat(ids), timeout: TimeSpan.FromSeconds(60));
            Assert.True(rm.ExitCode == 0, rm.ToString());
            var after = anchor.ContainerIds();
            Assert.Empty(after.Intersect(ids));
            Assert.Equal(before.OrderBy(x => x), after.OrderBy(x => x));
            Assert.All(ids, id => Assert.Empty(Detached.MonitorPids(id)));
            Detached.Eventually(() => ids.All(id => Detached.CgroupsOf(id).Count == 0), TimeSpan.FromSeconds(3), () => "cgroups left");
        }
        finally
        {
            anchor.ForceRemove([.. ids]);
        }
    }

    /// <summary>Starts a container, SIGKILLs its monitor, runs the body, then removes it and kills what is left.</summary>
    private void WithDeadMonitor(Action<string, string, List<int>> body)
    {
        var name = Detached.UniqueName("it-deadmon");
        var marker = "deadmon-" + Guid.NewGuid().ToString("N")[..8];
        var containerPids = new List<int>();
        try
        {
            var id = anchor.ShDetached(name, $"echo {marker}; {Detached.Forever}");
            Detached.Eventually(() => Detached.ContainerPids(marker).Count > 0, TimeSpan.FromSeconds(5), () => "no container process");
            containerPids.AddRange(Detached.ContainerPids(marker));
            var monitor = Assert.Single(Detached.MonitorPids(id));
            ProcessRunner.Signal(monitor, "KILL");
            Detached.Eventually(() => !Detached.IsAlive(monitor), TimeSpan.FromSeconds(3), () => "the monitor survived SIGKILL");
            body(name, id, containerPids);

            // Whatever the body started runs the same command: collect it for the cleanup too.
            containerPids.AddRange(Detached.ContainerPids(marker));
        }
        finally
        {
            anchor.ForceRemove(name);
            foreach (var pid in containerPids.Distinct().Where(Detached.IsAlive))
            {
                ProcessRunner.Run("kill", ["-KILL", pid.ToString()]);
            }
        }
    }

    [Fact]
    public void MonitorKilled_PsDoesNotShowTheContainerAsRunning() => WithDeadMonitor((_, id, _) =>
    {
        var status = anchor.Status(id);
        Assert.False(status is null, "ps -a no longer lists the container");
        Assert.False(status!.StartsWith("Up", StringComparison.Ordinal), $"ps shows a container whose monitor died as running: {status}");
        Assert.False(anchor.IsListedAsRunning(id), "ps (running only) lists a container whose monitor died");
        var running = anchor.Ok("inspect", "-f", "{{.State.Running}}", id);
        Assert.Equal("false", running.Out);
    });

    [Fact]
    public void MonitorKilled_RmForceStillCleansUpEverything() => WithDeadMonitor((name, id, containerPids) =>
    {
        var rm = anchor.Anchor(["rm", "-f", name]);
        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.DoesNotContain(id, anchor.ContainerIds());
        Assert.False(Directory.Exists(Path.Combine(anchor.Root, "containers", id)), "rm -f left the container's directory");
        Assert.Empty(Detached.MountsOf(id));
        Detached.Eventually(() => Detached.CgroupsOf(id).Count == 0, TimeSpan.FromSeconds(3), () => "cgroups left: " + string.Join(", ", Detached.CgroupsOf(id)));
        Detached.Eventually(() => !containerPids.Any(Detached.IsAlive), TimeSpan.FromSeconds(3), () => "rm -f left the container's processes: " + string.Join(", ", containerPids.Where(Detached.IsAlive)));
    });

    [Fact]
    public void MonitorKilled_StopEndsTheContainersProcesses() => WithDeadMonitor((name, id, containerPids) =>
    {
        var stop = anchor.Anchor(["stop", "-t", "1", name]);
        if (stop.ExitCode == 0)
        {
            Detached.Eventually(() => !containerPids.Any(Detached.IsAlive), TimeSpan.FromSeconds(3), () => $"stop exited 0 but the container's processes still run: {string.Join(", ", containerPids.Where(Detached.IsAlive))}");
        }

        Assert.False(anchor.IsListedAsRunning(id), $"ps lists it as running after stop: {anchor.Status(id)}");
    });

    [Fact]
    public void MonitorKilled_StartDoesNotRunASecondCopyBesideTheOrphan() => WithDeadMonitor((name, _, containerPids) =>
    {
        var start = anchor.Anchor(["start", name]);
        if (start.ExitCode == 0)
        {
            Assert.True(!containerPids.Any(Detached.IsAlive), $"start ran a new process while the old one ({string.Join(", ", containerPids.Where(Detached.IsAlive))}) still runs");
        }
    });

    private static string CommonPrefix(string a, string b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n])
        {
            n++;
        }

        return a[..n];
    }
}
