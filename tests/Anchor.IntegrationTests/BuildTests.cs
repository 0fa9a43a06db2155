using System.Text.RegularExpressions;

namespace Anchor.IntegrationTests;

/// <summary>anchor build, commit, diff, history: the classic builder's output, the layer cache and bad input.</summary>
[Collection(AnchorCollection.Name)]
public sealed partial class BuildTests(AnchorFixture anchor)
{
    private const string TwoStage = """
        # syntax=docker/dockerfile:1
        ARG BASE=busybox
        FROM $BASE AS builder
        ARG VERSION=1
        ENV APP_DIR=/app \
            MODE=release
        WORKDIR $APP_DIR
        RUN echo "version $VERSION ($MODE)" > version.txt
        COPY message.txt .
        RUN cat message.txt >> version.txt

        FROM busybox
        LABEL org.example.title="two stage"
        COPY --from=builder /app/version.txt /srv/
        WORKDIR /srv
        CMD ["cat", "version.txt"]
        """;

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(120);

    private string Context(string dockerfile, params (string Name, string Content)[] files)
    {
        var dir = Path.Combine(anchor.TempDir, "ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), dockerfile);
        foreach (var (name, content) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, name))!);
            File.WriteAllText(Path.Combine(dir, name), content);
        }

        return dir;
    }

    private ProcessResult Build(params string[] args) => anchor.Anchor(["build", .. args], timeout: BuildTimeout);

    private static int Runs(ProcessResult build) => RunningIn().Count(build.Stdout);

    [Fact]
    public void Build_TwoStages_BuildsAndRuns()
    {
        var dir = Context(TwoStage, ("message.txt", "hello from the context"));
        var build = Build("-t", "build-two:1", dir);
        try
        {
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Contains("Step 1/13 : ARG BASE=busybox", build.Stdout, StringComparison.Ordinal);
            Assert.Contains("Step 6/13 : RUN echo \"version $VERSION ($MODE)\" > version.txt", build.Stdout, StringComparison.Ordinal);
            Assert.Equal(2, Runs(build));
            Assert.Matches(@"(?m)^Successfully built [0-9a-f]{12}$", build.Stdout);
            Assert.Contains("Successfully tagged build-two:1", build.Stdout, StringComparison.Ordinal);

            var run = anchor.Anchor(["run", "--rm", "build-two:1"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("version 1 (release)\nhello from the context", run.Out);
            var inspect = anchor.Anchor(["image", "inspect", "build-two:1"]);
            Assert.Contains("\"org.example.title\": \"two stage\"", inspect.Stdout, StringComparison.Ordinal);
            Assert.Contains("\"WorkingDir\": \"/srv\"", inspect.Stdout, StringComparison.Ordinal);
            anchor.AssertNoLeftovers();
        }
        finally
        {
            anchor.Anchor(["rmi", "build-two:1"]);
        }
    }

    [Fact]
    public void Build_Unchanged_UsesCacheForEveryStepAndRunsNothing()
    {
        var dir = Context(TwoStage.Replace("MODE=release", "MODE=cachetest", StringComparison.Ordinal), ("message.txt", "cached"));
        var first = Build("-t", "build-cache:1", dir);
        Assert.True(first.ExitCode == 0, first.ToString());
        var second = Build("-t", "build-cache:1", dir);
        try
        {
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Equal(0, Runs(second));
            // Every step but the meta ARG and the two FROMs is a cache hit: 13 steps.
            Assert.Equal(10, UsingCache().Count(second.Stdout));
            Assert.Equal(BuiltId(first), BuiltId(second));
        }
        finally
        {
            anchor.Anchor(["rmi", "build-cache:1"]);
        }
    }

    [Fact]
    public void Build_ChangedCopiedFile_RerunsFromThatCopyOn()
    {
        var dockerfile = """
            FROM busybox
            RUN echo first > /first
            COPY data.txt /data.txt
            RUN cat /data.txt > /copy.txt
            CMD ["cat", "/copy.txt"]
            """;
        var dir = Context(dockerfile, ("data.txt", "one"));
        var first = Build("-t", "build-change:1", dir);
        Assert.True(first.ExitCode == 0, first.ToString());
        File.WriteAllText(Path.Combine(dir, "data.txt"), "two");
        var second = Build("-t", "build-change:1", dir);
        try
        {
            Assert.True(second.ExitCode == 0, second.ToString());
            var steps = StepBlocks(second.Stdout);
            Assert.Contains(" ---> Using cache", steps[2], StringComparison.Ordinal); // RUN echo first
            Assert.DoesNotContain("Using cache", steps[3], StringComparison.Ordinal); // COPY data.txt
            Assert.Contains(" ---> Running in", steps[4], StringComparison.Ordinal); // RUN cat
            Assert.DoesNotContain("Using cache", steps[5], StringComparison.Ordinal); // CMD
            Assert.Equal(1, Runs(second));
            Assert.Equal("two", anchor.Anchor(["run", "--rm", "build-change:1"]).Out);
        }
        finally
        {
            anchor.Anchor(["rmi", "build-change:1"]);
        }
    }

    [Fact]
    public void Build_DockerIgnore_KeepsFileOut()
    {
        var dockerfile = """
            FROM busybox
            COPY . /ctx/
            CMD ["ls", "-A", "/ctx"]
            """;
        var dir = Context(dockerfile, ("kept.txt", "k"), ("secret.env", "s"), ("logs/a.log", "l"), (".dockerignore", "secret.env\n**/*.log\n"));
        var build = Build("-t", "build-ignore:1", dir);
        try
        {
            Assert.True(build.ExitCode == 0, build.ToString());
            var listing = anchor.Anchor(["run", "--rm", "build-ignore:1"]).Out.Split('\n');
            Assert.Contains("kept.txt", listing);
            Assert.DoesNotContain("secret.env", listing);
            Assert.Equal("", anchor.Anchor(["run", "--rm", "build-ignore:1", "ls", "/ctx/logs"]).Out);

            var direct = Context("FROM busybox\nCOPY secret.env /\n", ("secret.env", "s"), (".dockerignore", "secret.env\n"));
            var failed = Build(direct);
            Assert.NotEqual(0, failed.ExitCode);
            Assert.Contains("file not found in build context or excluded by .dockerignore: stat secret.env", failed.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            anchor.Anchor(["rmi", "build-ignore:1"]);
        }
    }

    [Fact]
    public void Build_BuildArg_ChangesResultAndUnusedArgWarns()
    {
        var dockerfile = """
            FROM busybox
            ARG COLOR=red
            RUN echo "color=$COLOR" > /color
            CMD ["cat", "/color"]
            """;
        var dir = Context(dockerfile);
        var red = Build("-t", "build-arg:red", dir);
        var blue = Build("-t", "build-arg:blue", "--build-arg", "COLOR=blue", "--build-arg", "NOPE=1", dir);
        try
        {
            Assert.True(red.ExitCode == 0, red.ToString());
            Assert.True(blue.ExitCode == 0, blue.ToString());
            Assert.Equal("color=red", anchor.Anchor(["run", "--rm", "build-arg:red"]).Out);
            Assert.Equal("color=blue", anchor.Anchor(["run", "--rm", "build-arg:blue"]).Out);
            Assert.Equal(1, Runs(blue));
            Assert.Contains("[Warning] One or more build-args [NOPE] were not consumed", blue.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("[Warning]", red.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            anchor.Anchor(["rmi", "build-arg:red"]);
            anchor.Anchor(["rmi", "build-arg:blue"]);
        }
    }

    [Fact]
    public void Build_FailingRun_FailsWithItsCodeAndLeavesNothing()
    {
        var dir = Context("FROM busybox\nRUN echo before\nRUN echo failing; exit 7\nRUN echo never\n");
        var containersBefore = Directory.Exists(Path.Combine(anchor.Root, "containers"))
            ? Directory.GetDirectories(Path.Combine(anchor.Root, "containers")).Length
            : 0;
        var build = Build("-t", "build-fail:1", dir);
        Assert.Equal(7, build.ExitCode);
        Assert.Contains("The command '/bin/sh -c echo failing; exit 7' returned a non-zero code: 7", build.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("never", build.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(ImagesTests.ImageRows(anchor), r => r.Repository == "build-fail");
        var containersAfter = Directory.GetDirectories(Path.Combine(anchor.Root, "containers")).Length;
        Assert.Equal(containersBefore, containersAfter);
        Assert.Empty(anchor.MountsUnderTempDir());
        anchor.AssertNoNewCgroups();
    }

    [Fact]
    public void Build_BadInstruction_ReportsFileAndLine()
    {
        var dir = Context("FROM busybox\n# comment\nRUN echo ok\nFOO bar\n");
        var build = Build(dir);
        Assert.Equal(1, build.ExitCode);
        Assert.Contains("Dockerfile:4: unknown instruction: FOO", build.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Step", build.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnknownTarget_Fails()
    {
        var dir = Context("FROM busybox AS base\nRUN true\n");
        var build = Build("--target", "nope", dir);
        Assert.Equal(1, build.ExitCode);
        Assert.Contains("failed to reach build target nope in Dockerfile", build.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TargetAndFileFlag_StopAtStage()
    {
        var dir = Context("", ("docker/Build.dockerfile", "FROM busybox AS base\nENV STAGE=base\nFROM base\nRUN exit 1\n"));
        var build = Build("-f", Path.Combine(dir, "docker", "Build.dockerfile"), "--target", "base", "-q", dir);
        try
        {
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Matches("^sha256:[0-9a-f]{64}$", build.Out);
            Assert.Equal("base", anchor.Anchor(["run", "--rm", build.Out, "sh", "-c", "echo $STAGE"]).Out);
        }
        finally
        {
            anchor.Anchor(["rmi", build.Out]);
        }
    }

    [Fact]
    public void Build_CopyOutsideContext_Fails()
    {
        var dir = Context("FROM busybox\nCOPY ../outside /x\n");
        var build = Build(dir);
        Assert.Equal(1, build.ExitCode);
        Assert.Contains("forbidden path outside the build context: ../outside", build.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void CommitDiffHistory_OfAStoppedContainer()
    {
        var name = "build-commit-" + Guid.NewGuid().ToString("N")[..6];
        var run = anchor.Anchor(["run", "--name", name, "busybox", "sh", "-c", "echo data > /added; rm /bin/vi; mkdir /tmp/sub"]);
        try
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            var diff = anchor.Anchor(["diff", name]);
            Assert.True(diff.ExitCode == 0, diff.ToString());
            Assert.Equal(["A /added", "C /bin", "D /bin/vi", "C /tmp", "A /tmp/sub"], diff.Out.Split('\n'));

            var commit = anchor.Anchor(["commit", name, "build-snap:1"]);
            Assert.True(commit.ExitCode == 0, commit.ToString());
            Assert.Matches("^sha256:[0-9a-f]{64}$", commit.Out);
            Assert.Equal("data", anchor.Anchor(["run", "--rm", "build-snap:1", "cat", "/added"]).Out);
            Assert.Equal(1, anchor.Anchor(["run", "--rm", "build-snap:1", "test", "-e", "/bin/vi"]).ExitCode);

            var history = anchor.Anchor(["history", "build-snap:1"]);
            Assert.True(history.ExitCode == 0, history.ToString());
            var lines = history.Out.Split('\n');
            Assert.Matches(@"^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$", lines[0]);
            Assert.StartsWith(commit.Out[7..19], lines[1], StringComparison.Ordinal);
            Assert.Contains("sh -c echo data > /added", lines[1], StringComparison.Ordinal);
            // docker commit records the container's image as the parent: history names it on its row.
            var baseId = anchor.Anchor(["image", "inspect", "-f", "{{.Id}}", AnchorFixture.Image]).Out;
            Assert.StartsWith(baseId[7..19], lines[2], StringComparison.Ordinal);
        }
        finally
        {
            anchor.Anchor(["rm", "-f", name]);
            anchor.Anchor(["rmi", "build-snap:1"]);
        }
    }

    private static string BuiltId(ProcessResult build) => SuccessfullyBuilt().Match(build.Stdout).Groups[1].Value;

    /// <summary>The output split at each "Step n/m" line; index n is step n's block.</summary>
    private static List<string> StepBlocks(string output)
    {
        var blocks = new List<string> { "" };
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("Step ", StringComparison.Ordinal))
            {
                blocks.Add("");
            }

            blocks[^1] += line + "\n";
        }

        return blocks;
    }

    [GeneratedRegex(@"(?m)^ ---> Running in [0-9a-f]{12}$")]
    private static partial Regex RunningIn();

    [GeneratedRegex(@"(?m)^ ---> Using cache$")]
    private static partial Regex UsingCache();

    [GeneratedRegex(@"(?m)^Successfully built ([0-9a-f]{12})$")]
    private static partial Regex SuccessfullyBuilt();
}
