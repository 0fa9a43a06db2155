using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Anchor.IntegrationTests;

/// <summary>
/// anchor-runc's update (flags, and a resources file on stdin) on the live cgroup, and events
/// (--stats once, and the stream that ends when the container stops), with runc's errors for a
/// stopped container.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class OciResourcesTests(AnchorFixture anchor)
{
    private static readonly bool V1 = Directory.Exists("/sys/fs/cgroup/memory");

    [Fact]
    public void UpdateAndEvents_RunningContainer_WriteLimitsAndReportUsage()
    {
        using var bundle = new OciBundleDir(anchor, terminal: false, "sleep", "1000");
        var id = "res-" + Guid.NewGuid().ToString("N")[..10];
        var run = bundle.WithFiles("run", "--detach", "--bundle", bundle.Directory, id);
        Assert.True(run.ExitCode == 0, run.ToString());

        var update = bundle.Runtime("update", "--memory", "50M", "--pids-limit", "40", id);
        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Equal("52428800", Limit(id, V1 ? "memory/memory.limit_in_bytes" : "memory.max"));
        Assert.Equal("40", Limit(id, V1 ? "pids/pids.max" : "pids.max"));

        var fromStdin = ProcessRunner.Run(anchor.Bin, ["oci", "--root", bundle.StateRoot, "update", "--resources", "-", id],
            """{"memory": {"limit": 62914560}, "cpu": {"shares": 512}, "pids": {"limit": 50}}""");
        Assert.True(fromStdin.ExitCode == 0, fromStdin.ToString());
        Assert.Equal("62914560", Limit(id, V1 ? "memory/memory.limit_in_bytes" : "memory.max"));
        Assert.Equal("50", Limit(id, V1 ? "pids/pids.max" : "pids.max"));

        var bad = bundle.Runtime("update", "--memory", "bogus", id);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("invalid value for memory: invalid size: 'bogus'", bad.Stderr);

        var stats = bundle.Runtime("events", "--stats", id);
        Assert.True(stats.ExitCode == 0, stats.ToString());
        var line = Assert.Single(stats.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var json = JsonNode.Parse(line)!;
        Assert.Equal("stats", (string?)json["type"]);
        Assert.Equal(id, (string?)json["id"]);
        Assert.Equal(1, (long)json["data"]!["pids"]!["current"]!);
        Assert.Equal(62914560, (long)json["data"]!["memory"]!["usage"]!["limit"]!);
        Assert.True((long)json["data"]!["memory"]!["usage"]!["usage"]! > 0, line);

        // The stream: a line per interval until the container stops, then the end.
        using var events = ProcessRunner.Start(anchor.Bin, ["oci", "--root", bundle.StateRoot, "events", "--interval", "100ms", id]);
        events.StandardInput.Close();
        var first = events.StandardOutput.ReadLine();
        var second = events.StandardOutput.ReadLine();
        Assert.Contains("\"type\":\"stats\"", first);
        Assert.Contains("\"type\":\"stats\"", second);
        Assert.Equal(0, bundle.Runtime("kill", id, "KILL").ExitCode);
        bundle.WaitForStatus(id, "stopped");
        Assert.True(events.WaitForExit(10_000), "events did not end after the container stopped");
        Assert.Equal(0, events.ExitCode);

        var stopped = bundle.Runtime("update", "--memory", "60M", id);
        Assert.Equal(1, stopped.ExitCode);
        Assert.Contains("container not running", stopped.Stderr);
        var noStats = bundle.Runtime("events", "--stats", id);
        Assert.Equal(1, noStats.ExitCode);
        Assert.Contains($"container with id {id} is not running", noStats.Stderr);
        Assert.Contains("container does not exist", bundle.Runtime("update", "--memory", "60M", "missing-id").Stderr);
        Assert.Equal(0, bundle.Runtime("delete", id).ExitCode);
    }

    /// <summary>A limit file of the container's cgroup (runc's default cgroupsPath: /ID).</summary>
    private static string Limit(string id, string file) =>
        File.ReadAllText(Path.Combine("/sys/fs/cgroup", V1 ? file.Replace("/", $"/{id}/", StringComparison.Ordinal) : Path.Combine(id, file))).Trim();
}
