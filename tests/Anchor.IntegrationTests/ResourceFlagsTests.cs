namespace Anchor.IntegrationTests;

/// <summary>
/// --memory-swap, --memory-reservation, --cpu-shares, --cpuset-cpus/-mems, --oom-kill-disable,
/// --cgroup-parent and container update, as the container sees them: its own cgroup files under
/// /sys/fs/cgroup, /proc/self/status and /proc/self/cgroup, and inspect's HostConfig.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class ResourceFlagsTests(AnchorFixture anchor)
{
    private const long Mi = 1024 * 1024;

    /// <summary>Prints key=value for each limit, from the v1 hierarchies or the v2 group mounted at /sys/fs/cgroup.</summary>
    private const string ReadLimits = """
        c=/sys/fs/cgroup
        if [ -d $c/memory ]; then
          echo memory=$(cat $c/memory/memory.limit_in_bytes)
          echo memsw=$(cat $c/memory/memory.memsw.limit_in_bytes 2>/dev/null)
          echo soft=$(cat $c/memory/memory.soft_limit_in_bytes)
          echo oom=$(grep oom_kill_disable $c/memory/memory.oom_control | cut -d' ' -f2)
          echo shares=$(cat $c/cpu/cpu.shares)
          echo quota=$(cat $c/cpu/cpu.cfs_quota_us)
          echo pids=$(cat $c/pids/pids.max)
          echo cpuset=$(cat $c/cpuset/cpuset.cpus)
        else
          echo memory=$(cat $c/memory.max)
          echo swap=$(cat $c/memory.swap.max 2>/dev/null)
          echo low=$(cat $c/memory.low)
          echo weight=$(cat $c/cpu.weight)
          echo quota=$(cat $c/cpu.max | cut -d' ' -f1)
          echo pids=$(cat $c/pids.max)
          echo cpuset=$(cat $c/cpuset.cpus)
        fi
        echo allowed=$(grep Cpus_allowed_list /proc/self/status | cut -f2)
        """;

    private static bool V2 => File.Exists("/sys/fs/cgroup/cgroup.controllers");

    private static Dictionary<string, string> Values(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.Ordinal);

    [Fact]
    public void Run_ResourceFlags_ReachTheContainersCgroupFiles()
    {
        var limits = Values(anchor.ShOk(ReadLimits,
            "--network", "none", "--memory", "64m", "--memory-swap", "192m", "--memory-reservation", "32m",
            "--cpu-shares", "512", "--cpuset-cpus", "0", "--cpuset-mems", "0", "--oom-kill-disable"));

        Assert.Equal($"{64 * Mi}", limits["memory"]);
        Assert.Equal("0", limits["allowed"]);
        Assert.Equal("0", limits["cpuset"]);
        if (V2)
        {
            Assert.Equal($"{128 * Mi}", limits["swap"]);
            Assert.Equal($"{32 * Mi}", limits["low"]);
            Assert.Equal("59", limits["weight"]);
        }
        else
        {
            Assert.Equal($"{192 * Mi}", limits["memsw"]);
            Assert.Equal($"{32 * Mi}", limits["soft"]);
            Assert.Equal("1", limits["oom"]);
            Assert.Equal("512", limits["shares"]);
        }

        anchor.AssertNoLeftovers();
    }

    [Fact]
    public void Run_UnlimitedSwap_LeavesMemswUnlimited()
    {
        var limits = Values(anchor.ShOk(ReadLimits, "--network", "none", "--memory", "64m", "--memory-swap", "-1"));
        Assert.Equal(V2 ? "max" : "9223372036854771712", V2 ? limits["swap"] : limits["memsw"]);
    }

    [Theory]
    [InlineData("Minimum memoryswap limit should be larger than memory limit, see usage", "--memory", "64m", "--memory-swap", "32m")]
    [InlineData("You should always set the Memory limit when using Memoryswap limit, see usage", "--memory-swap", "64m")]
    [InlineData("Minimum memory limit can not be less than memory reservation limit, see usage", "--memory", "16m", "--memory-reservation", "32m")]
    [InlineData("Minimum memory reservation allowed is 6MB", "--memory-reservation", "1m")]
    [InlineData("Requested CPUs are not available - requested 4096, available: ", "--cpuset-cpus", "4096")]
    [InlineData("Invalid value 1-a for cpuset cpus: invalid format: 1-a", "--cpuset-cpus", "1-a")]
    [InlineData("invalid argument \"lots\" for \"--memory-swap\" flag: invalid size: 'lots'", "--memory-swap", "lots")]
    [InlineData("the path must stay below the cgroup root", "--cgroup-parent", "../../../etc")]
    public void Run_InconsistentResourceFlags_Exit125WithDockersWords(string message, params string[] options)
    {
        var result = anchor.RunRm(options.Append("--network").Append("none"), "true");
        Assert.True(result.ExitCode == 125, result.ToString());
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists("/sys/fs/cgroup/etc"), "a cgroup parent climbed out of the hierarchy");
        anchor.AssertNoLeftovers();
    }

    [Fact]
    public void Run_CgroupParent_PlacesTheContainersGroupBelowIt()
    {
        var parent = "anchor-it-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var cgroup = anchor.ShOk("cat /proc/self/cgroup", "--network", "none", "--cgroupns", "host", "--cgroup-parent", $"/{parent}/jobs", "--pids-limit", "9");
            var line = cgroup.Split('\n').First(l => V2 ? l.StartsWith("0::", StringComparison.Ordinal) : l.Contains(":pids:", StringComparison.Ordinal));
            Assert.Matches($"^[0-9]+:[a-z]*:/{parent}/jobs/[0-9a-f]{{64}}$", line);
            // The container's group went with it; the parent stays, as docker leaves it.
            var hierarchy = V2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/pids";
            Assert.True(Directory.Exists($"{hierarchy}/{parent}/jobs"));
            Assert.Empty(Directory.GetDirectories($"{hierarchy}/{parent}/jobs"));
        }
        finally
        {
            RemoveParent(parent);
        }
    }

    [Fact]
    public void Inspect_ShowsTheResourceFieldsDockerShows()
    {
        var name = Detached.UniqueName("res-inspect");
        var parent = "anchor-it-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var create = anchor.Anchor(["create", "--name", name, "--network", "none", "--memory", "64m", "--memory-reservation", "32m", "--cpu-shares", "512",
                "--cpuset-cpus", "0", "--cpuset-mems", "0", "--oom-kill-disable", "--cgroup-parent", parent, AnchorFixture.Image, "true"]);
            Assert.True(create.ExitCode == 0, create.ToString());
            var fields = anchor.Ok("inspect", "-f",
                "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.MemoryReservation}} {{.HostConfig.CpuShares}} {{.HostConfig.CpusetCpus}} {{.HostConfig.CpusetMems}} {{.HostConfig.OomKillDisable}} {{.HostConfig.CgroupParent}} {{.HostConfig.BlkioWeight}}",
                name).Out;
            // --oom-kill-disable is dropped with a warning where the kernel has no switch (v2).
            Assert.Equal($"{64 * Mi} {128 * Mi} {32 * Mi} 512 0 0 {(V2 ? "false" : "true")} {parent} 0", fields);
        }
        finally
        {
            anchor.ForceRemove(name);
            RemoveParent(parent);
        }
    }

    [Fact]
    public void Update_RunningContainer_ChangesLimitsLive_AndARestartKeepsThem()
    {
        var name = Detached.UniqueName("res-update");
        try
        {
            anchor.ShDetached(name, Detached.Forever, "--network", "none", "--memory", "64m", "--pids-limit", "50");
            var update = anchor.Anchor(["update", "--memory", "96m", "--memory-swap", "256m", "--cpus", "0.5", "--cpu-shares", "256",
                "--pids-limit", "20", "--memory-reservation", "48m", "--cpuset-cpus", "0", "--restart", "on-failure:5", name]);
            Assert.True(update.ExitCode == 0, update.ToString());
            Assert.Equal(name, update.Out);

            void AssertLimits(string when)
            {
                var limits = Values(anchor.Ok("exec", name, "sh", "-c", ReadLimits).Out);
                Assert.True(limits["memory"] == $"{96 * Mi}", $"{when}: {string.Join(' ', limits)}");
                Assert.Equal("50000", limits["quota"]);
                Assert.Equal("20", limits["pids"]);
                Assert.Equal("0", limits["allowed"]);
                Assert.Equal(V2 ? $"{160 * Mi}" : $"{256 * Mi}", V2 ? limits["swap"] : limits["memsw"]);
                Assert.Equal(V2 ? "35" : "256", V2 ? limits["weight"] : limits["shares"]);
            }

            AssertLimits("live");
            Assert.Equal($"{96 * Mi} {256 * Mi} {48 * Mi} 500000000 256 20 0 on-failure:5",
                anchor.Ok("inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.MemoryReservation}} {{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}} {{.HostConfig.PidsLimit}} {{.HostConfig.CpusetCpus}} {{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}", name).Out);

            // The new policy brings the container back after a failure, with the updated limits.
            var pid = int.Parse(anchor.Ok("inspect", "-f", "{{.State.Pid}}", name).Out, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(0, ProcessRunner.Run("kill", ["-9", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExitCode);
            Detached.Eventually(() => anchor.Anchor(["inspect", "-f", "{{.RestartCount}} {{.State.Running}}", name]).Out == "1 true",
                TimeSpan.FromSeconds(10), () => "no restart after the update's on-failure policy");
            AssertLimits("after the monitor's restart");

            anchor.Ok("stop", "-t", "1", name);
            anchor.Ok("start", name);
            AssertLimits("after stop and start");

            // --pids-limit -1 clears the limit.
            anchor.Ok("update", "--pids-limit", "-1", name);
            Assert.Equal("max", Values(anchor.Ok("exec", name, "sh", "-c", ReadLimits).Out)["pids"]);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public void Update_DockersRefusals()
    {
        var name = Detached.UniqueName("res-refuse");
        var removed = Detached.UniqueName("res-rm");
        try
        {
            var id = anchor.ShDetached(name, Detached.Forever, "--network", "none", "--memory", "64m");
            anchor.RunDetached(removed, ["--rm", "--network", "none"], "sleep", "60");

            var noFlags = anchor.Anchor(["update", name]);
            Assert.True(noFlags.ExitCode == 1, noFlags.ToString());
            Assert.Equal("you must provide one or more flags when using this command", noFlags.Err);

            // 200m is above the 128m memory+swap docker set at create: --memory-swap must come along.
            var memoryOnly = anchor.Anchor(["update", "--memory", "200m", name]);
            Assert.True(memoryOnly.ExitCode == 1, memoryOnly.ToString());
            Assert.Equal($"Error response from daemon: Cannot update container {id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time", memoryOnly.Err);

            var restart = anchor.Anchor(["update", "--restart", "always", removed]);
            Assert.True(restart.ExitCode == 1, restart.ToString());
            Assert.EndsWith("Restart policy cannot be updated because AutoRemove is enabled for the container", restart.Err, StringComparison.Ordinal);

            var missing = anchor.Anchor(["update", "--memory", "64m", "--memory-swap", "128m", "no-such-container-x"]);
            Assert.True(missing.ExitCode == 1, missing.ToString());
            Assert.Equal("Error response from daemon: No such container: no-such-container-x", missing.Err);

            // Nothing changed: the record still says 64m.
            Assert.Equal($"{64 * Mi}", anchor.Ok("inspect", "-f", "{{.HostConfig.Memory}}", name).Out);
        }
        finally
        {
            anchor.ForceRemove(name, removed);
        }
    }

    [Fact]
    public void Update_MemoryBelowWhatTheContainerUses_IsRefusedOnV1()
    {
        if (V2)
        {
            return; // v2's memory.max reclaims or OOM-kills instead of refusing (cgroup-v2.rst "memory.max")
        }

        var name = Detached.UniqueName("res-busy");
        try
        {
            // 40 MiB in a tmpfs stays charged to the group and cannot be reclaimed without swap room.
            anchor.ShDetached(name, "head -c 40m /dev/zero > /dev/shm/fill && echo filled && " + Detached.Forever, "--network", "none", "--memory", "128m", "--memory-swap", "128m");
            Detached.Eventually(() => anchor.LogLines(name).Contains("filled"), TimeSpan.FromSeconds(10), () => "the container did not fill its tmpfs");
            var update = anchor.Anchor(["update", "--memory", "16m", "--memory-swap", "16m", name]);
            Assert.True(update.ExitCode == 1, update.ToString());
            Assert.Contains("unable to set memory limit to 16777216 (current usage: ", update.Err, StringComparison.Ordinal);
            Assert.Equal($"{128 * Mi}", Values(anchor.Ok("exec", name, "sh", "-c", ReadLimits).Out)["memory"]);
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    /// <summary>rmdir of a test's parent group (and its "jobs" child) in every hierarchy.</summary>
    private static void RemoveParent(string parent)
    {
        var hierarchies = V2 ? ["/sys/fs/cgroup"] : Directory.GetDirectories("/sys/fs/cgroup");
        foreach (var hierarchy in hierarchies)
        {
            foreach (var dir in new[] { $"{hierarchy}/{parent}/jobs", $"{hierarchy}/{parent}" })
            {
                try
                {
                    if (Directory.Exists(dir))
                    {
                        Directory.Delete(dir);
                    }
                }
                catch (IOException)
                {
                    // Not empty or busy: leave it rather than fail the test's own assertion.
                }
            }
        }
    }
}
