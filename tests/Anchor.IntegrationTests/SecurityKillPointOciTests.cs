using System.Text.Json.Nodes;

namespace Anchor.IntegrationTests;

/// <summary>
/// Kill points of the OCI runtime (docs/oci-runtime.md): `anchor oci create`, `run -d` and the
/// foreground `run` of a bundle, SIGKILLed at random moments ten times each, always with the same
/// container ID. After every kill `list` works, a holder that waits for a start nobody can ask for
/// (its create died before recording the container) does not stay, and `delete --force ID`
/// reclaims the rest: no process, no cgroup, no state directory; the next create of the same ID
/// then works.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class SecurityKillPointOciTests(AnchorFixture anchor)
{
    [Theory]
    [InlineData("create")]
    [InlineData("run -d")]
    [InlineData("run")]
    public void OciCommand_KilledAtRandomMoments_ListAndDeleteReclaimEverything(string verb)
    {
        var foreground = verb == "run";
        using var bundle = new OciBundleDir(anchor, false, foreground ? new[] { "sleep", "0.3" } : new[] { "sleep", "300" });
        var id = "kill-" + verb.Replace(" -", "", StringComparison.Ordinal) + "-" + Guid.NewGuid().ToString("N")[..6];
        string[] args = [.. verb.Split(' '), "--bundle", bundle.Directory, id];
        var window = KillPoints.Time(() =>
        {
            var run = bundle.WithFiles(args);
            Assert.True(run.ExitCode == 0, $"oci {verb}: {run}");
        });
        bundle.Runtime("delete", "--force", id);

        var log = new List<string>();
        new KillPoints().Repeat($"anchor oci {verb}", window, delay =>
            KillPoints.KillAfter(KillPoints.StartQuiet(anchor.Bin, ["oci", "--root", bundle.StateRoot, .. args]), delay, $"oci {verb}"), delay =>
        {
            var list = bundle.Runtime("list", "-q");
            Assert.True(list.ExitCode == 0, $"list after killing {verb} at {delay} ms: {list}");
            if (!list.Out.Split('\n').Contains(id))
            {
                // Not a container anyone can start: nothing of it may wait for a start.
                var waiting = WaitGone(() => Holders(bundle, id));
                Assert.True(waiting.Count == 0, $"killed {verb} at {delay} ms: not listed, yet still there: {string.Join("; ", waiting)}");
            }

            var delete = bundle.Runtime("delete", "--force", id);
            log.Add($"{delay} ms: listed={list.Out.Trim()} delete={delete.ExitCode} {delete.Err.Trim()}");
            var left = WaitGone(() => [.. Holders(bundle, id), .. Cgroups(id), .. (Directory.Exists(Path.Combine(bundle.StateRoot, id)) ? new[] { "state directory " + id } : [])]);
            Assert.True(left.Count == 0, $"killed {verb} at {delay} ms, then delete --force: left {string.Join("; ", left)}\n{string.Join('\n', log)}");
        });

        // The repeated command works with the same ID.
        var again = bundle.WithFiles(args);
        Assert.True(again.ExitCode == 0, $"oci {verb} again: {again}");
        var final = bundle.Runtime("delete", "--force", id);
        Assert.True(final.ExitCode == 0 || foreground, final.ToString());
        Assert.Empty(WaitGone(() => [.. Holders(bundle, id), .. Cgroups(id)]));
    }

    /// <summary>Polls for up to 5 s until <paramref name="find"/> finds nothing; returns what it found last.</summary>
    private static List<string> WaitGone(Func<List<string>> find)
    {
        var found = find();
        for (var i = 0; i < 50 && found.Count > 0; i++)
        {
            Thread.Sleep(100);
            found = find();
        }

        return found;
    }

    /// <summary>Live processes of the container: its holder or a child not exec'd yet (they name the state root), or any in its cgroup.</summary>
    private static List<string> Holders(OciBundleDir bundle, string id) =>
        LiveProcesses.Where((_, argv, cgroup) => (argv.Contains(bundle.StateRoot) && argv.Contains(id)) || cgroup.Split('\n').Any(l => l.EndsWith("/" + id, StringComparison.Ordinal)))
            .Select(p => $"pid {p.Pid} [{string.Join(' ', p.Argv)}]").ToList();

    /// <summary>The container's cgroup (the bundle's cgroupsPath is empty: /ID in every hierarchy).</summary>
    private static List<string> Cgroups(string id) =>
        Directory.EnumerateDirectories("/sys/fs/cgroup").Prepend("/sys/fs/cgroup")
            .Select(h => Path.Combine(h, id)).Where(Directory.Exists).Select(d => "cgroup " + d).ToList();
}
