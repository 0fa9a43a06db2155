using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Anchor.IntegrationTests;

/// <summary>`anchor events`: the journal every anchor process appends to, read live and from the past, as a docker user sees it.</summary>
[Collection(AnchorCollection.Name)]
public sealed partial class EventsTests(AnchorFixture anchor)
{
    /// <summary>Starts `events ARGS` in the background; <see cref="StopFollower"/> ends it and returns its lines.</summary>
    private Process Follow(PrivateStore store, params string[] args) => ProcessRunner.Start(anchor.Bin, [.. store.Args, "events", .. args]);

    private static List<string> StopFollower(Process follower, Func<List<string>, bool> enough, TimeSpan timeout)
    {
        var lines = new List<string>();
        var reading = Task.Run(() =>
        {
            while (follower.StandardOutput.ReadLine() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        });
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (lines)
            {
                if (enough(lines))
                {
                    break;
                }
            }

            Thread.Sleep(100);
        }

        // Anything printed after "enough" (a duplicate) must still be seen: give it a moment.
        Thread.Sleep(500);
        follower.Kill();
        reading.Wait(TimeSpan.FromSeconds(5));
        follower.Dispose();
        lock (lines)
        {
            return [.. lines];
        }
    }

    private static List<string> Lines(ProcessResult result) => [.. result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    [Fact]
    public void Events_TwoConcurrentWriters_FollowerSeesEveryEventOnceInEachWritersOrder()
    {
        using var store = new PrivateStore(anchor, "events-writers");
        store.Ok("volume", "create", "warmup");
        var follower = Follow(store, "--filter", "type=volume", "--filter", "event=create", "--format", "{{.Actor.ID}}");
        Thread.Sleep(700); // the follower starts at the journal's end

        const int Each = 30;
        var writers = new[] { "a", "b" }.Select(w => ProcessRunner.Start("sh", ["-c",
            $"i=0; while [ $i -lt {Each} ]; do {ProcessRunner.ShellQuote(anchor.Bin)} {string.Join(' ', store.Args.Select(ProcessRunner.ShellQuote))} volume create {w}-$i >/dev/null || exit 1; i=$((i+1)); done"])).ToList();
        foreach (var writer in writers)
        {
            Assert.True(writer.WaitForExit(TimeSpan.FromSeconds(60)), "a writer did not finish");
            Assert.Equal(0, writer.ExitCode);
        }

        var seen = StopFollower(follower, l => l.Count >= 2 * Each, TimeSpan.FromSeconds(20));

        Assert.DoesNotContain("warmup", seen);
        Assert.Equal(2 * Each, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        foreach (var w in new[] { "a", "b" })
        {
            Assert.Equal(Enumerable.Range(0, Each).Select(i => $"{w}-{i}"), seen.Where(s => s.StartsWith(w + "-", StringComparison.Ordinal)));
        }

        // The journal keeps them: read from the past, the same events in the same order.
        var past = Lines(store.Ok("events", "--since", "1h", "--until", PrivateStore.Now(), "--filter", "type=volume", "--filter", "event=create", "--format", "{{.Actor.ID}}"));
        Assert.Equal(["warmup", .. seen], past);
    }

    [Fact]
    public void Events_SinceAndUntil_SelectTheWindow_AndUntilInThePastReturns()
    {
        using var store = new PrivateStore(anchor, "events-window");
        store.Ok("volume", "create", "before");
        Thread.Sleep(1100);
        var middle = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        Thread.Sleep(1100);
        store.Ok("volume", "create", "after");

        var watch = Stopwatch.StartNew();
        Assert.Equal(["after"], Lines(store.Ok("events", "--since", middle, "--until", PrivateStore.Now(), "--format", "{{.Actor.ID}}")));
        Assert.Equal(["before"], Lines(store.Ok("events", "--since", "1h", "--until", middle, "--format", "{{.Actor.ID}}")));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"events with a past --until took {watch.Elapsed}");

        // until ahead: the past, then what happens until then, then it ends by itself.
        var until = DateTimeOffset.UtcNow.AddSeconds(3).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var follower = ProcessRunner.Start(anchor.Bin, [.. store.Args, "events", "--since", middle, "--until", until, "--format", "{{.Actor.ID}}"]);
        Thread.Sleep(500);
        store.Ok("volume", "create", "live");
        Assert.True(follower.WaitForExit(TimeSpan.FromSeconds(10)), "events --until did not end at until");
        Assert.Equal(["after", "live"], follower.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Events_ContainerLifecycles_DockersActionsAttributesAndText()
    {
        using var store = new PrivateStore(anchor, "events-lifecycle");
        store.ImportBusybox();
        var name = "ev-" + Guid.NewGuid().ToString("N")[..6];
        store.Ok("run", "--rm", "--network", "none", "--name", name + "-fg", "busybox", "true");
        var id = store.Ok("run", "-d", "--network", "none", "--name", name, "busybox", "sh", "-c", "trap 'exit 143' TERM; while true; do sleep 0.1; done").Out;
        store.Ok("pause", name);
        store.Ok("unpause", name);
        store.Ok("rename", name, name + "-2");
        store.Ok("stop", "-t", "5", name + "-2");
        store.Ok("rm", name + "-2");

        var text = Lines(store.Ok("events", "--since", "1h", "--until", PrivateStore.Now(), "--filter", "container=" + id));
        var actions = text.Select(l => TextLine().Match(l)).Select(m => m.Success ? m.Groups["action"].Value : "?" + m.Value).ToList();
        Assert.Equal(["create", "start", "pause", "unpause", "rename", "kill", "die", "stop", "destroy"], actions);
        Assert.Contains(text, l => l.Contains($" container die {id} (exitCode=143, image=busybox, name={name}-2)", StringComparison.Ordinal));
        Assert.Contains(text, l => l.Contains($" container kill {id} (image=busybox, name={name}-2, signal=15)", StringComparison.Ordinal));
        Assert.Contains(text, l => l.Contains($"(image=busybox, name={name}-2, oldName=/{name})", StringComparison.Ordinal));

        var foreground = Lines(store.Ok("events", "--since", "1h", "--until", PrivateStore.Now(), "--filter", $"container={name}-fg", "--format", "{{.Action}}"));
        Assert.Equal(["create", "attach", "start", "die", "destroy"], foreground);

        // {{json .}} is docker's events.Message with the legacy fields.
        var json = Lines(store.Ok("events", "--since", "1h", "--until", PrivateStore.Now(), "--filter", "container=" + id, "--filter", "event=start", "--format", "{{json .}}")).Single();
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(["status", "id", "from", "Type", "Action", "Actor", "scope", "time", "timeNano"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("start", root.GetProperty("status").GetString());
        Assert.Equal(id, root.GetProperty("Actor").GetProperty("ID").GetString());
        Assert.Equal("busybox", root.GetProperty("from").GetString());
        Assert.Equal("local", root.GetProperty("scope").GetString());
        Assert.Equal(root.GetProperty("time").GetInt64(), root.GetProperty("timeNano").GetInt64() / 1_000_000_000);
    }

    [Fact]
    public void Events_Filters_SelectAsDockerDoes_AndRefuseUnknownKeys()
    {
        using var store = new PrivateStore(anchor, "events-filter");
        store.Ok("volume", "create", "keep");
        store.Ok("volume", "create", "drop");
        store.Ok("volume", "rm", "drop");
        store.Ok("network", "create", "evnet");
        store.Ok("network", "rm", "evnet");
        string[] Window(params string[] filters) =>
            [.. Lines(store.Ok(["events", "--since", "1h", "--until", PrivateStore.Now(), "--format", "{{.Type}} {{.Action}} {{if eq .Type \"network\"}}{{.Actor.Attributes.name}}{{else}}{{.Actor.ID}}{{end}}", .. filters]))];

        Assert.Equal(["volume destroy drop"], Window("--filter", "event=destroy", "--filter", "type=volume"));
        Assert.Equal(["volume create drop", "volume destroy drop"], Window("--filter", "volume=dr"));
        Assert.Equal(["network create evnet", "network destroy evnet"], Window("--filter", "network=evnet"));
        Assert.Equal(5, Window("--filter", "type=volume", "--filter", "type=network").Length);
        Assert.Empty(Window("--filter", "type=container"));

        var bad = store.Run(["events", "--filter", "colour=red", "--until", PrivateStore.Now()]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("Invalid filter 'colour'", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_KilledWriters_LeaveAReadableJournal()
    {
        using var store = new PrivateStore(anchor, "events-killed");
        store.Ok("volume", "create", "first");
        // Writers SIGKILLed at arbitrary moments of their appends...
        for (var round = 0; round < 6; round++)
        {
            var loop = ProcessRunner.Start("sh", ["-c",
                $"i=0; while true; do {ProcessRunner.ShellQuote(anchor.Bin)} {string.Join(' ', store.Args.Select(ProcessRunner.ShellQuote))} volume create k{round}-$i >/dev/null 2>&1 & wait; i=$((i+1)); done"]);
            Thread.Sleep(150 + (round * 37));
            ProcessRunner.Signal(loop.Id, "KILL");
            foreach (var pid in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(p => p!.All(char.IsAsciiDigit)))
            {
                var cmdline = File.Exists($"/proc/{pid}/cmdline") ? SafeRead($"/proc/{pid}/cmdline") : "";
                if (cmdline.Contains(store.Dir, StringComparison.Ordinal) && cmdline.Contains("volume", StringComparison.Ordinal))
                {
                    KillQuietly(int.Parse(pid!, CultureInfo.InvariantCulture));
                }
            }

            loop.WaitForExit(5000);
            loop.Dispose();
        }

        // ...and one torn by hand: a record cut before its end, as a writer killed inside write(2) leaves it.
        var segment = Directory.GetFiles(store.EventsDir, "*.log").Order(StringComparer.Ordinal).Last();
        File.AppendAllText(segment, "\u001e{\"status\":\"create\",\"id\":\"torn\",\"Type\":\"vol");
        store.Ok("volume", "create", "last");

        var all = Lines(store.Ok("events", "--since", "1h", "--until", PrivateStore.Now(), "--format", "{{json .}}"));
        Assert.All(all, l => JsonDocument.Parse(l).Dispose());
        var ids = all.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("Actor").GetProperty("ID").GetString()).ToList();
        Assert.Equal("first", ids[0]);
        Assert.Equal("last", ids[^1]);
        Assert.DoesNotContain("torn", ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Events_Journal_StaysBoundedAndKeepsTheNewest()
    {
        using var store = new PrivateStore(anchor, "events-bound");
        var env = new Dictionary<string, string?> { ["ANCHOR_EVENTS_SEGMENT_BYTES"] = "4096" };
        var bin = ProcessRunner.ShellQuote(anchor.Bin) + " " + string.Join(' ', store.Args.Select(ProcessRunner.ShellQuote));
        var fill = ProcessRunner.Run("sh", ["-c", $"i=0; while [ $i -lt 120 ]; do {bin} volume create b-$i >/dev/null || exit 1; {bin} volume rm b-$i >/dev/null || exit 1; i=$((i+1)); done"],
            timeout: TimeSpan.FromSeconds(120), env: env);
        Assert.True(fill.ExitCode == 0, fill.ToString());

        var files = Directory.GetFiles(store.EventsDir, "*.log");
        var total = files.Sum(f => new FileInfo(f).Length);
        Assert.True(files.Length <= 2, $"{files.Length} segments");
        Assert.True(total <= (2 * 4096) + 8192, $"journal holds {total} bytes");
        Assert.Equal(0x180, (int)File.GetUnixFileMode(files[0]) & 0x1FF); // 0600
        Assert.Equal(0x1C0, (int)File.GetUnixFileMode(store.EventsDir) & 0x1FF); // 0700

        var kept = Lines(store.Ok("events", "--since", "1h", "--until", PrivateStore.Now(), "--format", "{{.Action}} {{.Actor.ID}}"));
        Assert.Equal("destroy b-119", kept[^1]);
        Assert.DoesNotContain("create b-0", kept);
    }

    private static void KillQuietly(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Ended by itself meanwhile.
        }
    }

    private static string SafeRead(string path)
    {
        try
        {
            return File.ReadAllText(path).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    // docker's prettyPrintEvent: RFC3339NanoFixed local time, type, action, actor ID, (k=v, ...).
    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}(Z|[+-]\d\d:\d\d) container (?<action>\S+) [0-9a-f]{64}( \(.*\))?$")]
    private static partial Regex TextLine();
}
