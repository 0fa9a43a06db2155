using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Anchor.IntegrationTests;

/// <summary><c>anchor logs</c> of detached containers and the json-file log behind it.</summary>
[Collection(AnchorCollection.Name)]
public sealed partial class LogsTests(AnchorFixture anchor)
{
    private void WithExited(string script, Action<string, string> body, params string[] options) =>
        anchor.WithExited("it-logs", script, body, options);

    [Fact]
    public void Logs_ShowStdoutOnStdoutAndStderrOnStderr() => WithExited("echo out1; echo err1 >&2; echo out2; echo err2 >&2", (name, _) =>
    {
        var logs = anchor.Ok("logs", name);
        Assert.Equal("out1\nout2", logs.Out);
        Assert.Equal("err1\nerr2", logs.Err);
    });

    [Fact]
    public void Logs_AreDockersJsonFileFormat() => WithExited("echo to-stdout; echo to-stderr >&2", (_, id) =>
    {
        var path = Path.Combine(anchor.Root, "containers", id, id + "-json.log");
        Assert.True(File.Exists(path), $"no json-file log at {path}");
        var entries = File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(2, entries.Count);
        var byStream = entries.ToDictionary(e => e.GetProperty("stream").GetString()!, e => e.GetProperty("log").GetString());
        Assert.Equal("to-stdout\n", byStream["stdout"]);
        Assert.Equal("to-stderr\n", byStream["stderr"]);
        Assert.All(entries, e => Assert.Matches(Rfc3339(), e.GetProperty("time").GetString()!));
    });

    [Fact]
    public void Logs_KeepEveryLineOfAFastWriter() => WithExited("seq 1 100000; seq 1 3000 >&2", (name, _) =>
    {
        var logs = anchor.Anchor(["logs", name], timeout: TimeSpan.FromSeconds(15));
        Assert.True(logs.ExitCode == 0, $"exit code {logs.ExitCode}; stderr: {logs.Stderr[..Math.Min(500, logs.Stderr.Length)]}");
        var lines = logs.Out.Split('\n');
        Assert.Equal(100000, lines.Length);
        Assert.Equal(Enumerable.Range(1, 100000).Select(i => i.ToString(CultureInfo.InvariantCulture)), lines);
        Assert.Equal(3000, logs.Err.Split('\n').Length);
    });

    [Fact]
    public void Logs_Tail() => WithExited("for i in 1 2 3 4 5; do echo line$i; done", (name, _) =>
    {
        Assert.Equal("line5", anchor.Ok("logs", "--tail", "1", name).Out);
        Assert.Equal("line4\nline5", anchor.Ok("logs", "-n", "2", name).Out);
        Assert.Equal("", anchor.Ok("logs", "--tail", "0", name).Out);
        Assert.Equal("line1\nline2\nline3\nline4\nline5", anchor.Ok("logs", "--tail", "all", name).Out);
        Assert.Equal("line1\nline2\nline3\nline4\nline5", anchor.Ok("logs", "--tail", "100", name).Out);
    });

    [Fact]
    public void Logs_Timestamps_PrefixEachLineWithRfc3339() => WithExited("echo alpha; echo beta", (name, _) =>
    {
        var lines = anchor.Ok("logs", "-t", name).Out.Split('\n');
        Assert.Equal(2, lines.Length);
        var now = DateTimeOffset.UtcNow;
        foreach (var (line, text) in lines.Zip(["alpha", "beta"]))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            Assert.True(space > 0, $"no timestamp in {line}");
            var stamp = line[..space];
            Assert.Matches(Rfc3339(), stamp);
            Assert.Equal(text, line[(space + 1)..]);
            var time = DateTimeOffset.Parse(stamp, CultureInfo.InvariantCulture);
            Assert.True((now - time).Duration() < TimeSpan.FromMinutes(2), $"timestamp {stamp} is not now ({now:O})");
        }
    });

    [Fact]
    public void Logs_Follow_StreamsUntilTheContainerExits()
    {
        var name = Detached.UniqueName("it-logs-f");
        try
        {
            var id = anchor.ShDetached(name, "for i in 1 2 3 4; do echo line$i; sleep 0.4; done");
            var clock = Stopwatch.StartNew();
            var follow = anchor.Anchor(["logs", "-f", name], timeout: TimeSpan.FromSeconds(12));
            Assert.True(follow.ExitCode == 0, follow.ToString());
            Assert.Equal("line1\nline2\nline3\nline4", follow.Out);

            // It returned only when the container had ended.
            Assert.StartsWith("Exited (0)", anchor.Status(id));
            Assert.True(clock.Elapsed > TimeSpan.FromSeconds(0.5), $"logs -f returned after {clock.Elapsed.TotalSeconds:0.00} s");
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    [Fact]
    public Task Logs_Follow_PrintsNewLinesAsTheyAreWritten() => anchor.WithRunning(
        "it-logs-live",
        $"echo first; while [ ! -e /go ]; do sleep 0.1; done; echo second; {Detached.Forever}",
        name => anchor.Following(["logs", "-f", name], async process =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.Equal("first", await process.StandardOutput.ReadLineAsync(timeout.Token));
            anchor.Ok("exec", name, "touch", "/go");
            Assert.Equal("second", await process.StandardOutput.ReadLineAsync(timeout.Token));
            Assert.False(process.HasExited, "logs -f ended while the container is running");

            anchor.Ok("kill", name);
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
        }));

    [Fact]
    public Task Logs_FollowWithTail0_ShowsOnlyNewLines() => anchor.WithRunning(
        "it-logs-tail0",
        $"echo old; while [ ! -e /go ]; do sleep 0.1; done; echo new; {Detached.Forever}",
        name =>
        {
            Detached.Eventually(() => anchor.LogLines(name).Contains("old"), TimeSpan.FromSeconds(5), () => "no first line");
            return anchor.Following(["logs", "-f", "--tail", "0", name], async process =>
            {
                await Task.Delay(300);
                anchor.Ok("exec", name, "touch", "/go");
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                Assert.Equal("new", await process.StandardOutput.ReadLineAsync(timeout.Token));
            });
        });

    [Fact]
    public void Logs_OfATtyContainer_HoldTheTerminalOutput() => WithExited(
        "test -t 1 && echo hi-tty",
        (name, _) =>
        {
            var logs = anchor.Ok("logs", name);
            Assert.Equal("hi-tty", logs.Out);
        },
        "-t");

    [Fact]
    public void Logs_FollowWithTail_OfAnExitedContainer_ReturnsAtOnce() => WithExited("echo a; echo b; echo c", (name, _) =>
    {
        var follow = anchor.Anchor(["logs", "-f", "--tail", "2", "-t", name], timeout: TimeSpan.FromSeconds(10));
        Assert.True(follow.ExitCode == 0, follow.ToString());
        var lines = follow.Out.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.EndsWith(" b", lines[0]);
        Assert.EndsWith(" c", lines[1]);
    });

    [Fact]
    public Task Logs_Follow_ContinuesAcrossRestartsOfThePolicy() => anchor.WithRunning(
        "it-logs-policy",
        "echo run; sleep 0.2; exit 0",
        name => anchor.Following(["logs", "-f", name], async process =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            for (var run = 0; run < 3; run++)
            {
                Assert.Equal("run", await process.StandardOutput.ReadLineAsync(timeout.Token));
            }

            Assert.False(process.HasExited, "logs -f stopped following a container that its policy restarts");
        }),
        "--restart",
        "always");

    [Fact]
    public void Logs_KeepEveryRunAcrossStopAndStart()
    {
        var name = Detached.UniqueName("it-logs-runs");
        try
        {
            anchor.ShDetached(name, "echo run");
            Assert.Equal(0, anchor.WaitExit(name));
            anchor.Ok("start", name);
            Assert.Equal(0, anchor.WaitExit(name));
            Assert.Equal(["run", "run"], anchor.LogLines(name));
        }
        finally
        {
            anchor.ForceRemove(name);
        }
    }

    /// <summary>RFC 3339 with optional fraction and a Z or numeric offset.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
