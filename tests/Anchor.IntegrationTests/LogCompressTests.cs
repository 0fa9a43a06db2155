using System.IO.Compression;
using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>--log-opt compress: rotated files gzipped under docker's names, read back by logs; the log options docker refuses.</summary>
[Collection(AnchorCollection.Name)]
public sealed class LogCompressTests(AnchorFixture anchor)
{
    private const string FourHundredLines = "i=1; while [ $i -le 400 ]; do echo line$i; i=$((i+1)); done";

    /// <summary>The log files of the container once the last compression is done (it runs after the rotation).</summary>
    private List<string> SettledFiles(string id)
    {
        var dir = Path.Combine(anchor.Root, "containers", id);
        List<string> files = [];
        Detached.Eventually(
            () =>
            {
                files = [.. Directory.GetFiles(dir, id + "-json.log*").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];
                return files.All(f => f == id + "-json.log" || f.EndsWith(".gz", StringComparison.Ordinal));
            },
            TimeSpan.FromSeconds(10),
            () => "rotated files not compressed: " + string.Join(", ", files));
        return files;
    }

    [Fact]
    public void Logs_CompressTrue_RotatedFilesAreGzipped_AndLogsReadsThroughThem() => anchor.WithExited(
        "it-loggz",
        FourHundredLines,
        (name, id) =>
        {
            var files = SettledFiles(id);
            Assert.Equal([id + "-json.log", id + "-json.log.1.gz", id + "-json.log.2.gz"], files);

            // Each .gz is a gzip stream of docker's json lines (what docker's own tools read).
            var dir = Path.Combine(anchor.Root, "containers", id);
            using (var gzip = new GZipStream(File.OpenRead(Path.Combine(dir, id + "-json.log.1.gz")), CompressionMode.Decompress))
            using (var reader = new StreamReader(gzip))
            {
                var first = JsonDocument.Parse(reader.ReadLine()!).RootElement;
                Assert.StartsWith("line", first.GetProperty("log").GetString());
                Assert.Equal("stdout", first.GetProperty("stream").GetString());
            }

            var lines = anchor.Ok("logs", name).Out.Split('\n');
            Assert.Equal("line400", lines[^1]);
            Assert.True(lines.Length < 400, "the oldest lines rotated away");
            var start = int.Parse(lines[0]["line".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Enumerable.Range(start, 400 - start + 1).Select(i => $"line{i}"), lines);
            Assert.True(lines.Length > 30, $"only {lines.Length} lines: the compressed files were not read");

            // --tail reaches back into the compressed files.
            var tail = anchor.Ok("logs", "--tail", "60", name).Out.Split('\n');
            Assert.Equal(Enumerable.Range(341, 60).Select(i => $"line{i}"), tail);
        },
        "--log-opt", "max-size=2k", "--log-opt", "max-file=3", "--log-opt", "compress=true");

    [Fact]
    public void Logs_DriverLocal_CompressesByDefault() => anchor.WithExited(
        "it-loglocalgz",
        FourHundredLines,
        (name, id) =>
        {
            var files = SettledFiles(id);
            Assert.Contains(id + "-json.log.1.gz", files);
            Assert.Equal("line400", anchor.Ok("logs", "--tail", "1", name).Out);
        },
        "--log-driver", "local", "--log-opt", "max-size=2k");

    [Fact]
    public void Logs_CompressFalse_KeepsPlainRotatedFiles() => anchor.WithExited(
        "it-logplain",
        FourHundredLines,
        (_, id) =>
        {
            var files = Directory.GetFiles(Path.Combine(anchor.Root, "containers", id), id + "-json.log*").Select(Path.GetFileName).Order().ToList();
            Assert.Equal([id + "-json.log", id + "-json.log.1"], files);
        },
        "--log-driver", "local", "--log-opt", "max-size=2k", "--log-opt", "max-file=2", "--log-opt", "compress=false");

    [Theory]
    [InlineData("json-file", "compress=maybe", "failed to initialize logging driver: strconv.ParseBool: parsing \"maybe\": invalid syntax")]
    [InlineData("json-file", "compress=true", "failed to initialize logging driver: compress cannot be true when max-file is less than 2 or max-size is not set")]
    [InlineData("local", "max-file=1", "failed to initialize logging driver: compression cannot be enabled when max file count is 1")]
    [InlineData("local", "compress=nah", "failed to initialize logging driver: error reading compress log option: strconv.ParseBool: parsing \"nah\": invalid syntax")]
    [InlineData("local", "labels=a", "unknown log opt 'labels' for log driver local")]
    [InlineData("json-file", "mode=fast", "logger: logging mode not supported: fast")]
    [InlineData("json-file", "max-buffer-size=4m", "logger: max-buffer-size option is only supported with 'mode=non-blocking'")]
    public void Run_LogOptsDockerRefuses_Fail125WithDockersError(string driver, string option, string message)
    {
        var run = anchor.Anchor(["run", "--rm", "--log-driver", driver, "--log-opt", option, AnchorFixture.Image, "true"]);
        Assert.Equal(125, run.ExitCode);
        Assert.Contains(message, run.Err);
    }

    [Theory]
    [InlineData("none", "anything=at-all")]
    [InlineData("json-file", "mode=non-blocking")]
    [InlineData("json-file", "tag={{.Name}}")]
    public void Run_LogOptsDockerAccepts_Run(string driver, string option)
    {
        var run = anchor.Anchor(["run", "--rm", "--network", "none", "--log-driver", driver, "--log-opt", option, AnchorFixture.Image, "echo", "ran"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("ran", run.Out);
    }
}
