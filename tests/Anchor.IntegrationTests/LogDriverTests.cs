namespace Anchor.IntegrationTests;

/// <summary>--log-driver json-file|local|none with --log-opt max-size/max-file: rotation by the monitor, logs across the rotated files.</summary>
[Collection(AnchorCollection.Name)]
public sealed class LogDriverTests(AnchorFixture anchor)
{
    [Fact]
    public void Logs_RotateAtMaxSize_KeepMaxFiles_AndReadInOrder() => anchor.WithExited(
        "it-logrot",
        "i=1; while [ $i -le 400 ]; do echo line$i; i=$((i+1)); done",
        (name, id) =>
        {
            var dir = Path.Combine(anchor.Root, "containers", id);
            var files = Directory.GetFiles(dir, id + "-json.log*").Select(Path.GetFileName).Order().ToList();
            // Each entry is about 80 bytes: 400 of them need several 2 KiB files; only three are kept.
            Assert.Equal([id + "-json.log", id + "-json.log.1", id + "-json.log.2"], files);
            Assert.All(files, f => Assert.True(new FileInfo(Path.Combine(dir, f!)).Length < 2048 + 200, $"{f} is larger than max-size allows"));

            var lines = anchor.Ok("logs", name).Out.Split('\n');
            Assert.Equal("line400", lines[^1]);
            Assert.True(lines.Length < 400, "the oldest lines rotated away");
            var first = int.Parse(lines[0]["line".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Enumerable.Range(first, 400 - first + 1).Select(i => $"line{i}"), lines);

            // --tail reaches back across the files.
            var tail = anchor.Ok("logs", "--tail", "60", name).Out.Split('\n');
            Assert.Equal(Enumerable.Range(341, 60).Select(i => $"line{i}"), tail);
        },
        "--log-opt", "max-size=2k", "--log-opt", "max-file=3");

    [Fact]
    public void Logs_MaxFileOne_TruncatesInPlace() => anchor.WithExited(
        "it-logrot1",
        "i=1; while [ $i -le 100 ]; do echo line$i; i=$((i+1)); done",
        (name, id) =>
        {
            var dir = Path.Combine(anchor.Root, "containers", id);
            Assert.Single(Directory.GetFiles(dir, id + "-json.log*"));
            Assert.Equal("line100", anchor.Ok("logs", "--tail", "1", name).Out);
        },
        "--log-opt", "max-size=1k");

    [Fact]
    public void Logs_DriverNone_KeepsNothing_AndLogsRefuses() => anchor.WithExited(
        "it-lognone",
        "echo hidden",
        (name, id) =>
        {
            Assert.Empty(Directory.GetFiles(Path.Combine(anchor.Root, "containers", id), "*-json.log*"));
            var logs = anchor.Anchor(["logs", name]);
            Assert.Equal(1, logs.ExitCode);
            Assert.Contains("configured logging driver does not support reading", logs.Err);
        },
        "--log-driver", "none");

    [Fact]
    public void Logs_DriverLocal_IsReadable() => anchor.WithExited(
        "it-loglocal",
        "echo one; echo two >&2",
        (name, _) =>
        {
            var logs = anchor.Ok("logs", name);
            Assert.Equal("one", logs.Out);
            Assert.Equal("two", logs.Err);
        },
        "--log-driver", "local");

    [Fact]
    public void Logs_TailOne_OfMixedStreams_IsTheLastLineOfEither() => anchor.WithExited(
        "it-logmix",
        "echo out1; sleep 0.1; echo err1 >&2; sleep 0.1; echo out2; sleep 0.1; echo err-last >&2",
        (name, _) =>
        {
            var logs = anchor.Ok("logs", "--tail", "1", name);
            Assert.Equal("", logs.Out);
            Assert.Equal("err-last", logs.Err);
            var two = anchor.Ok("logs", "--tail", "2", name);
            Assert.Equal("out2", two.Out);
            Assert.Equal("err-last", two.Err);
        });

    [Theory]
    [InlineData("--log-driver", "syslog", "error looking up logging plugin syslog")]
    [InlineData("--log-opt", "max-size=lots", "anchor: Error response from daemon: failed to initialize logging driver: invalid size: 'lots'.")]
    [InlineData("--log-opt", "max-file=0", "anchor: Error response from daemon: failed to initialize logging driver: max-file cannot be less than 1.")]
    [InlineData("--log-opt", "nope=1", "unknown log opt 'nope' for json-file log driver")]
    public void Run_BadLogOptions_Fail125(string flag, string value, string message)
    {
        var run = anchor.Anchor(["run", "--rm", flag, value, AnchorFixture.Image, "true"]);
        Assert.Equal(125, run.ExitCode);
        Assert.Contains(message, run.Err);
    }
}
