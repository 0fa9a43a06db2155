using System.Globalization;

namespace Anchor.IntegrationTests;

/// <summary>pause/unpause, rename, top, stats (with NET I/O, BLOCK I/O and --format), container prune and volumes, as a docker user checks them.</summary>
[Collection(AnchorCollection.Name)]
public sealed class ManagementVerbTests(AnchorFixture anchor)
{
    private ProcessResult Ok(params string[] args)
    {
        var result = anchor.Anchor(args, timeout: TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private string Detached(string name, string script) => Ok("run", "-d", "--name", name, "busybox", "sh", "-c", script).Stdout.Trim();

    [Fact]
    public void Pause_StopsTheProcessesUntilUnpause()
    {
        var name = "mgmt-pause-" + Guid.NewGuid().ToString("N")[..6];
        Detached(name, "while true; do echo tick; sleep 0.1; done");
        try
        {
            Thread.Sleep(400);
            Ok("pause", name);
            Assert.Contains("(Paused)", Ok("ps", "--filter", $"name={name}", "--format", "{{.Status}}").Stdout, StringComparison.Ordinal);
            var frozen = Ok("logs", name).Stdout.Length;
            Thread.Sleep(600);
            Assert.Equal(frozen, Ok("logs", name).Stdout.Length);
            Ok("unpause", name);
            Thread.Sleep(600);
            Assert.True(Ok("logs", name).Stdout.Length > frozen);
            Assert.NotEqual(0, anchor.Anchor(["unpause", name]).ExitCode);
        }
        finally
        {
            anchor.Anchor(["rm", "-f", name]);
        }
    }

    [Fact]
    public void Rename_MovesTheName_AndRefusesATakenOne()
    {
        var first = "mgmt-ren-a-" + Guid.NewGuid().ToString("N")[..6];
        var second = "mgmt-ren-b-" + Guid.NewGuid().ToString("N")[..6];
        var id = Detached(first, "sleep 30");
        Detached(second, "sleep 30");
        try
        {
            var renamed = first + "-x";
            Ok("rename", first, renamed);
            Assert.Equal(id, Ok("inspect", "-f", "{{.Id}}", renamed).Stdout.Trim());
            Assert.NotEqual(0, anchor.Anchor(["inspect", first]).ExitCode);
            var clash = anchor.Anchor(["rename", renamed, second]);
            Assert.NotEqual(0, clash.ExitCode);
            Assert.Contains("already in use", clash.Stderr, StringComparison.Ordinal);
            first = renamed;
        }
        finally
        {
            anchor.Anchor(["rm", "-f", first, second]);
        }
    }

    [Fact]
    public void Top_And_Stats_ShowTheContainersProcesses()
    {
        var name = "mgmt-top-" + Guid.NewGuid().ToString("N")[..6];
        Detached(name, "sleep 31");
        try
        {
            var top = Ok("top", name).Stdout;
            Assert.Contains("sleep 31", top, StringComparison.Ordinal);
            Assert.StartsWith("UID", top, StringComparison.Ordinal);
            var stats = Ok("stats", "--no-stream", name).Stdout.Split('\n');
            Assert.StartsWith("CONTAINER ID", stats[0], StringComparison.Ordinal);
            Assert.Contains(name, stats[1], StringComparison.Ordinal);
            Assert.EndsWith(" 1", stats[1].TrimEnd(), StringComparison.Ordinal);
        }
        finally
        {
            anchor.Anchor(["rm", "-f", name]);
        }
    }

    [Fact]
    public void Stats_NetworkNone_NetIoIsZero_AndBlockIoCountsWrites()
    {
        var name = "stats-io-" + Guid.NewGuid().ToString("N")[..6];
        var id = Ok("run", "-d", "--network", "none", "--name", name, "busybox", "sleep", "60").Stdout.Trim();
        try
        {
            var onDisk = BlockThrottle.ActivateForContainer(id, anchor.Root);

            // The overlay's upper directory is in the store; fsync sends the 4 MiB to the disk now.
            Ok("exec", name, "dd", "if=/dev/zero", "of=/written", "bs=1M", "count=4", "conv=fsync");
            var columns = Ok("stats", "--no-stream", "--format", "{{.NetIO}}|{{.BlockIO}}", name).Stdout.Trim().Split('|');

            Assert.Equal("0B / 0B", columns[0]);
            Assert.Matches(@"^\d+(\.\d+)?[kMG]?B / \d+(\.\d+)?[kMG]?B$", columns[1]);
            if (onDisk)
            {
                var written = columns[1].Split(" / ")[1];
                Assert.EndsWith("MB", written, StringComparison.Ordinal);
                Assert.True(double.Parse(written[..^2], CultureInfo.InvariantCulture) >= 4.0, columns[1]);
            }
        }
        finally
        {
            anchor.Anchor(["rm", "-f", name]);
        }
    }

    [Fact]
    public void Stats_Table_ShowsDockerColumns_AndFormatTableUsesDockerHeaders()
    {
        var name = "stats-fmt-" + Guid.NewGuid().ToString("N")[..6];
        var id = Ok("run", "-d", "--network", "none", "--name", name, "busybox", "sleep", "60").Stdout.Trim();
        try
        {
            var table = Ok("stats", "--no-stream", name).Stdout.Split('\n');
            Assert.Matches(@"^CONTAINER ID +NAME +CPU % +MEM USAGE / LIMIT +MEM % +NET I/O +BLOCK I/O +PIDS$", table[0]);
            Assert.Matches($@"^{id[..12]} +{name} +\d+\.\d\d% +[\d.]+[KMG]?i?B / [\d.]+[KMG]iB +\d+\.\d\d% +0B / 0B +[\d.]+[kMG]?B / [\d.]+[kMG]?B +1$", table[1]);

            var custom = Ok("stats", "--no-stream", "--no-trunc", "--format", "table {{.ID}}\t{{.Container}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}", name).Stdout.Split('\n');
            Assert.Matches(@"^CONTAINER ID +CONTAINER +NET I/O +BLOCK I/O +PIDS$", custom[0]);
            Assert.StartsWith(id + "   " + name, custom[1], StringComparison.Ordinal);

            var json = Ok("stats", "--no-stream", "--format", "json", name).Stdout.Trim();
            Assert.StartsWith("{\"BlockIO\":", json, StringComparison.Ordinal);
            Assert.Contains("\"NetIO\":\"0B / 0B\"", json, StringComparison.Ordinal);
        }
        finally
        {
            anchor.Anchor(["rm", "-f", name]);
        }
    }

    [Fact]
    public void ContainerPrune_RemovesStoppedOnly()
    {
        var stopped = "mgmt-prune-s-" + Guid.NewGuid().ToString("N")[..6];
        var running = "mgmt-prune-r-" + Guid.NewGuid().ToString("N")[..6];
        Ok("run", "--name", stopped, "busybox", "true");
        Detached(running, "sleep 30");
        try
        {
            Assert.Contains("Deleted Containers:", Ok("container", "prune", "-f").Stdout, StringComparison.Ordinal);
            Assert.NotEqual(0, anchor.Anchor(["inspect", stopped]).ExitCode);
            Assert.Equal("running", Ok("inspect", "-f", "{{.State.Status}}", running).Stdout.Trim());
        }
        finally
        {
            anchor.Anchor(["rm", "-f", running]);
        }
    }

    [Fact]
    public void NamedVolume_KeepsDataAcrossContainers_AndCannotBeRemovedWhileUsed()
    {
        var volume = "mgmt-vol-" + Guid.NewGuid().ToString("N")[..6];
        var user = "mgmt-voluser-" + Guid.NewGuid().ToString("N")[..6];
        try
        {
            anchor.ShOk("echo kept > /data/f", "-v", $"{volume}:/data");
            Assert.Equal("kept", anchor.ShOk("cat /data/f", "-v", $"{volume}:/data").Trim());
            Assert.Contains(volume, Ok("volume", "ls", "-q").Stdout, StringComparison.Ordinal);
            Ok("run", "-d", "--name", user, "-v", $"{volume}:/data", "busybox", "sleep", "30");
            var refused = anchor.Anchor(["volume", "rm", volume]);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("in use", refused.Stderr, StringComparison.Ordinal);
            anchor.Anchor(["rm", "-f", user]);
            Ok("volume", "rm", volume);
            Assert.DoesNotContain(volume, Ok("volume", "ls", "-q").Stdout, StringComparison.Ordinal);
        }
        finally
        {
            anchor.Anchor(["rm", "-f", user]);
            anchor.Anchor(["volume", "rm", "-f", volume]);
        }
    }

    [Fact]
    public void MissingVolume_InspectAndRm_AreDockersClientError_Exit1()
    {
        // docker's client words the daemon's 404 itself (tests/compare vol.inspect.missing, vol.rm.missing).
        var volume = "mgmt-novol-" + Guid.NewGuid().ToString("N")[..6];
        var inspect = anchor.Anchor(["volume", "inspect", volume]);
        Assert.Equal((1, "[]", $"Error: No such volume: {volume}"), (inspect.ExitCode, inspect.Out, inspect.Err));
        var rm = anchor.Anchor(["volume", "rm", volume]);
        Assert.Equal((1, "", $"Error: No such volume: {volume}"), (rm.ExitCode, rm.Out, rm.Err));
        var create = anchor.Anchor(["volume", "create", "--driver", "nosuchdriver", volume]);
        Assert.Equal((1, $"Error response from daemon: create {volume}: error looking up volume plugin nosuchdriver: plugin \"nosuchdriver\" not found"), (create.ExitCode, create.Err));
    }

    [Fact]
    public void ReadOnlyBind_RefusesWrites_AndTmpfsIsATmpfs()
    {
        var dir = Directory.CreateTempSubdirectory("anchor-bind").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "page"), "hello");
            Assert.Equal("hello", anchor.ShOk("cat /site/page", "-v", $"{dir}:/site:ro"));
            var write = anchor.Sh("touch /site/x", "-v", $"{dir}:/site:ro");
            Assert.NotEqual(0, write.ExitCode);
            Assert.False(File.Exists(Path.Combine(dir, "x")));
            anchor.ShOk("touch /site/y", "-v", $"{dir}:/site");
            Assert.True(File.Exists(Path.Combine(dir, "y")));
            Assert.Contains("tmpfs /scratch tmpfs", anchor.ShOk("grep /scratch /proc/mounts", "--tmpfs", "/scratch"), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
