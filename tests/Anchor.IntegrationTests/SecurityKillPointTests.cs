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
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(anchor.TempDir, "kill-" + Guid.NewGuid().ToString("N")[..8])).FullName;

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
    /// <see cref="Kills"/> times while running (<see cref="KillPoints"/>): after each attempt
    /// `images` works and <paramref name="undo"/> removes whatever a run that got to its end made.
    /// </summary>
    private void KillRepeatedly(string[] args, string verb, Action? undo)
    {
        var window = KillPoints.Time(() => anchor.Anchor(args, timeout: Timeout), $"anchor {string.Join(' ', args)}");
        undo?.Invoke();

        new KillPoints(Kills).Repeat($"anchor {verb}", window, delay =>
        {
            using var process = ProcessRunner.Start(anchor.Bin, anchor.StoreArgs.Concat(args));
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.StandardInput.Close();
            return KillPoints.KillAfter(process, delay, $"anchor {verb}");
        }, delay =>
        {
            var images = anchor.Anchor(["images"]);
            Assert.True(images.ExitCode == 0, $"images after killing {verb} at {delay} ms: {images}");
            undo?.Invoke();
        });

        Assert.Empty(StoreAudit.Processes(anchor.Root, verb));
    }

    private string RootfsTar() => KillPoints.RootfsTar(_dir);

    private string BigFile() => KillPoints.BigFile(_dir);

    private ProcessResult Ok(params string[] args)
    {
        var result = anchor.Anchor(args, timeout: Timeout);
        Assert.True(result.ExitCode == 0, $"anchor {string.Join(' ', args)}: {result}");
        return result;
    }
}
