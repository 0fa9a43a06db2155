using System.Diagnostics;

namespace Anchor.IntegrationTests;

/// <summary>
/// SIGKILL of load, import, pull and build at random moments of their run, ten times each while
/// the command runs (delays drawn over the measured duration of a run, with tens of MB of random
/// data so that kills land mid-way): after every kill `images` works; the repeated command then succeeds, and afterwards
/// the store holds nothing a killed command left (<see cref="StoreAudit"/>: no temporaries, no
/// blob, snapshot or cache entry beyond what images and the build cache refer to, no mount, no
/// process). The build has a RUN step too: a killed step's container (its directory, record and
/// cgroup) is reclaimed by the next `ps`, which the test then requires.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class SecurityKillPointTests(AnchorFixture anchor) : IDisposable
{
    private const int Kills = 10;
    private const int BigBytes = 24 << 20;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(anchor.TempDir, "kill-" + Guid.NewGuid().ToString("N")[..8])).FullName;
    private readonly Random _random = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_KilledAtRandomMoments_LeavesNothingAndLoadsAgain()
    {
        var archive = Path.Combine(_dir, "big-archive.tar");
        Ok("import", RootfsTar(), "kill-load:1");
        Ok("save", "-o", archive, "kill-load:1");
        Ok("rmi", "kill-load:1");

        KillRepeatedly(["load", "-i", archive], "load", () => anchor.Anchor(["rmi", "kill-load:1"]));

        Ok("load", "-i", archive);
        StoreAudit.AssertNothingLeft(anchor, "load");
        Ok("rmi", "kill-load:1");
    }

    [Fact]
    public void Import_KilledAtRandomMoments_LeavesNothingAndImportsAgain()
    {
        var tar = RootfsTar();
        KillRepeatedly(["import", tar, "kill-import:1"], "import", () => anchor.Anchor(["rmi", "kill-import:1"]));

        Ok("import", tar, "kill-import:1");
        StoreAudit.AssertNothingLeft(anchor, "import");
        Ok("rmi", "kill-import:1");
    }

    [Fact]
    public void Pull_KilledAtRandomMoments_LeavesNothingAndPullsAgain()
    {
        using var registry = new RegistryServer();
        var reference = $"{registry.Host}/kill/big:1";
        Ok("import", RootfsTar(), reference);
        Ok("push", reference);
        Ok("rmi", reference);

        KillRepeatedly(["pull", reference], "pull", () => anchor.Anchor(["rmi", reference]));

        Ok("pull", reference);
        StoreAudit.AssertNothingLeft(anchor, "pull");
        Ok("rmi", reference);
    }

    [Fact]
    public void Build_KilledAtRandomMoments_LeavesNothingAndBuildsAgain()
    {
        var context = Path.Combine(_dir, "ctx");
        Directory.CreateDirectory(Path.Combine(context, "dir"));
        File.Copy(BigFile(), Path.Combine(context, "big.bin"));
        File.WriteAllText(Path.Combine(context, "dir", "small.txt"), "small");
        File.WriteAllText(Path.Combine(context, "Dockerfile"), """
            FROM busybox
            ENV STAGE=kill
            COPY big.bin /big.bin
            RUN wc -c /big.bin > /size
            LABEL killed=maybe
            COPY dir /dir
            CMD ["cat", "/dir/small.txt"]
            """);
        string[] build = ["build", "--no-cache", "-t", "kill-build:1", context];

        KillRepeatedly(build, "build", null);

        Ok(build);
        Assert.Equal("small", Ok("run", "--rm", "kill-build:1").Out);
        StoreAudit.AssertNothingLeft(anchor, "build");
        // The RUN steps' containers of the killed builds: gone once ps has swept them.
        Ok("ps", "-a");
        anchor.AssertNoLeftovers();
        Ok("rmi", "kill-build:1");
    }

    /// <summary>
    /// Runs the command once to time it (then <paramref name="undo"/>), then until it was killed
    /// <see cref="Kills"/> times while running: start it, SIGKILL it after a random delay within
    /// the time a run takes (shrunk to any run that finished first: reused content makes later runs
    /// faster), check that `images` works, undo whatever a run that got to its end made.
    /// </summary>
    private void KillRepeatedly(string[] args, string verb, Action? undo)
    {
        var clock = Stopwatch.StartNew();
        Ok(args);
        var window = clock.Elapsed.TotalMilliseconds;
        undo?.Invoke();

        var delays = new List<int>();
        for (var midway = 0; midway < Kills;)
        {
            Assert.True(delays.Count < Kills * 3, $"anchor {verb} finished before the kill too often (delays {string.Join(", ", delays)} ms)");
            var delay = _random.Next((int)window + 1);
            delays.Add(delay);
            using var process = ProcessRunner.Start(anchor.Bin, anchor.StoreArgs.Concat(args));
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.StandardInput.Close();
            var running = Stopwatch.StartNew();
            if (process.WaitForExit(delay))
            {
                window = Math.Min(window, running.Elapsed.TotalMilliseconds);
            }
            else
            {
                midway++;
                try
                {
                    process.Kill(); // SIGKILL: no handler, no finally, no cleanup of its own.
                }
                catch (InvalidOperationException)
                {
                    // It ended just now.
                }
            }

            Assert.True(process.WaitForExit(10_000), $"anchor {verb} did not die");
            var images = anchor.Anchor(["images"]);
            Assert.True(images.ExitCode == 0, $"images after killing {verb} at {delay} ms: {images}");
            undo?.Invoke();
        }

        Assert.Empty(StoreAudit.Processes(anchor.Root, verb));
    }

    /// <summary>A rootfs tarball of one file of random bytes.</summary>
    private string RootfsTar()
    {
        var tar = Path.Combine(_dir, "big-rootfs.tar");
        if (!File.Exists(tar))
        {
            using var output = File.Create(tar);
            using var writer = new System.Formats.Tar.TarWriter(output, System.Formats.Tar.TarEntryFormat.Pax);
            writer.WriteEntry(BigFile(), "big.bin");
        }

        return tar;
    }

    private string BigFile()
    {
        var file = Path.Combine(_dir, "big.bin");
        if (!File.Exists(file))
        {
            var data = new byte[BigBytes];
            Random.Shared.NextBytes(data);
            File.WriteAllBytes(file, data);
        }

        return file;
    }

    private ProcessResult Ok(params string[] args)
    {
        var result = anchor.Anchor(args, timeout: Timeout);
        Assert.True(result.ExitCode == 0, $"anchor {string.Join(' ', args)}: {result}");
        return result;
    }
}
