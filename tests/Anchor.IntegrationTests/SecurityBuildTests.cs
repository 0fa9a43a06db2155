namespace Anchor.IntegrationTests;

/// <summary>
/// A hostile build context (docker's confinement of COPY/ADD sources): symlinks to host
/// directories, to ../outside, chains of them, and wildcards through them never bring a host file
/// into an image; links that stay inside the context work and links inside a copied directory stay
/// links. Input that no container could exec (a 10 MB line, a huge ENV) is refused at build time.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class SecurityBuildTests(AnchorFixture anchor)
{
    private const string Secret = "host-secret-7d41c9";
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(120);

    /// <summary>A context directory and, next to it, a host directory "outside" holding a secret file.</summary>
    private (string Context, string Outside) Layout(string dockerfile)
    {
        var dir = Path.Combine(anchor.TempDir, "sec-" + Guid.NewGuid().ToString("N")[..8]);
        var context = Path.Combine(dir, "ctx");
        var outside = Path.Combine(dir, "outside");
        Directory.CreateDirectory(Path.Combine(context, "src"));
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret"), Secret);
        File.WriteAllText(Path.Combine(context, "src", "app.txt"), "app");
        File.WriteAllText(Path.Combine(context, "Dockerfile"), dockerfile);
        return (context, outside);
    }

    private ProcessResult Build(string context, string tag) => anchor.Anchor(["build", "-t", tag, context], timeout: BuildTimeout);

    [Theory]
    [InlineData("absolute", "COPY linkdir/secret /x", "linkdir/secret")]
    [InlineData("dotdot", "COPY up/secret /x", "up/secret")]
    [InlineData("chain", "COPY a/secret /x", "a/secret")]
    [InlineData("file", "COPY f1 /x", "f1")]
    [InlineData("wildcard-match", "COPY link* /x/", "linkdir")]
    [InlineData("add", "ADD linkdir/secret /x", "linkdir/secret")]
    public void Build_SourceThroughSymlinkOutOfContext_FailsAndLeaksNothing(string name, string copy, string reported)
    {
        var (context, outside) = Layout($"FROM busybox\n{copy}\nCMD [\"cat\", \"/x\"]\n");
        File.CreateSymbolicLink(Path.Combine(context, "linkdir"), outside);
        File.CreateSymbolicLink(Path.Combine(context, "up"), "../outside");
        File.CreateSymbolicLink(Path.Combine(context, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(context, "b"), "src/../c");
        File.CreateSymbolicLink(Path.Combine(context, "c"), "../../../../../.." + outside);
        File.CreateSymbolicLink(Path.Combine(context, "f1"), "f2");
        File.CreateSymbolicLink(Path.Combine(context, "f2"), Path.Combine(outside, "secret"));
        var tag = "sec-build-" + name + ":1";

        var build = Build(context, tag);
        var keyword = copy.Split(' ')[0];
        Assert.True(build.ExitCode == 1, build.ToString());
        Assert.Equal($"{keyword} failed: file not found in build context or excluded by .dockerignore: stat {reported}: file does not exist", LastErrorLine(build));
        Assert.DoesNotContain(Secret, build.Stdout + build.Stderr, StringComparison.Ordinal);
        // No image was made (`run` of it would look for it in a registry): nothing can hold the file.
        Assert.NotEqual(0, anchor.Anchor(["image", "inspect", tag]).ExitCode);
        Assert.DoesNotContain(ImagesTests.ImageRows(anchor), r => r.Repository == tag.Split(':')[0]);
    }

    [Fact]
    public void Build_WildcardInsideSymlinkedHostDirectory_MatchesNothing()
    {
        var (context, outside) = Layout("FROM busybox\nCOPY linkdir/* /x/\n");
        File.CreateSymbolicLink(Path.Combine(context, "linkdir"), outside);
        var build = Build(context, "sec-build-glob:1");
        Assert.True(build.ExitCode == 1, build.ToString());
        Assert.Equal("COPY failed: no source files were specified", LastErrorLine(build));
    }

    [Fact]
    public void Build_LinksThatStayInside_WorkAndCopiedLinksStayLinks()
    {
        var (context, outside) = Layout("""
            FROM busybox
            COPY alias/app.txt /via-parent
            COPY rooted/app.txt /via-absolute
            COPY src /code
            COPY . /ctx/
            """);
        File.CreateSymbolicLink(Path.Combine(context, "alias"), "src");
        File.CreateSymbolicLink(Path.Combine(context, "rooted"), "/src"); // "/" is the context root
        File.CreateSymbolicLink(Path.Combine(context, "src", "host"), outside);
        File.CreateSymbolicLink(Path.Combine(context, "hostfile"), Path.Combine(outside, "secret"));
        var build = Build(context, "sec-build-inside:1");
        try
        {
            Assert.True(build.ExitCode == 0, build.ToString());
            var script = "for f in /via-parent /via-absolute /code/app.txt; do cat $f; echo; done; readlink /code/host; readlink /ctx/hostfile; cat /code/host/secret /ctx/hostfile 2>&1; true";
            var run = anchor.Anchor(["run", "--rm", "sec-build-inside:1", "sh", "-c", script]);
            Assert.True(run.ExitCode == 0, run.ToString());
            var lines = run.Out.Split('\n');
            Assert.Equal(["app", "app", "app", outside, Path.Combine(outside, "secret")], lines[..5]);
            Assert.DoesNotContain(Secret, run.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            anchor.Anchor(["rmi", "sec-build-inside:1"]);
        }
    }

    [Fact]
    public void Build_TenMegabyteLine_IsRefusedWithItsLine()
    {
        var (context, _) = Layout("FROM busybox\nENV BIG=" + new string('x', 10 << 20) + "\nCMD [\"true\"]\n");
        var build = Build(context, "sec-build-line:1");
        Assert.True(build.ExitCode == 1, build.ToString());
        Assert.Equal("Dockerfile:2: dockerfile line greater than max allowed size of 65536", LastErrorLine(build));
        Assert.DoesNotContain(ImagesTests.ImageRows(anchor), r => r.Repository == "sec-build-line");
    }

    [Fact]
    public void Build_EnvNoContainerCouldExec_IsRefusedNamingEnv()
    {
        var (context, _) = Layout("FROM busybox\nARG V\nENV BIG=$V$V\n");
        var build = anchor.Anchor(["build", "--build-arg", "V=" + new string('v', 100_000), "-t", "sec-build-e2big:1", context], timeout: BuildTimeout);
        Assert.True(build.ExitCode == 1, build.ToString());
        Assert.StartsWith("Dockerfile:3: ENV: the environment variable BIG takes 200004 bytes", LastErrorLine(build), StringComparison.Ordinal);
        Assert.DoesNotContain(ImagesTests.ImageRows(anchor), r => r.Repository == "sec-build-e2big");
    }

    /// <summary>The error the CLI printed last, without its "anchor: " prefix.</summary>
    private static string LastErrorLine(ProcessResult result)
    {
        var line = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return line.StartsWith("anchor: ", StringComparison.Ordinal) ? line["anchor: ".Length..] : line;
    }
}
