namespace Anchor.IntegrationTests;

/// <summary>
/// Where a build's inputs come from (issue 14's build flags): <c>--build-context</c> (a directory
/// or docker-image://), <c>--cache-from</c>, <c>--pull</c> against a registry on loopback,
/// <c>--platform</c> and <c>--secret id=,env=</c>. Each test has stores of its own.
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class BuildSourcesTests(AnchorFixture anchor)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(180);

    [Fact]
    public void BuildContext_Directory_FeedsCopyFromAndMountFrom_WithItsDockerignore_DockerImage_IsAFromBase()
    {
        using var store = new PrivateStore(anchor, "named-ctx");
        store.ImportBusybox();
        var extra = Path.Combine(store.Dir, "extra");
        Directory.CreateDirectory(extra);
        File.WriteAllText(Path.Combine(extra, "a.txt"), "from-extra\n");
        File.WriteAllText(Path.Combine(extra, "b.txt"), "ignored\n");
        File.WriteAllText(Path.Combine(extra, ".dockerignore"), "b.txt\n");
        Assert.Equal(0, store.Run(["build", "-t", "marker:1", "-"], "FROM busybox\nRUN echo marker-image > /marker\n", timeout: BuildTimeout).ExitCode);

        var dockerfile =
            "FROM base\n" +
            "COPY --from=extra a.txt /a.txt\n" +
            "COPY --from=extra . /all/\n" +
            "RUN --mount=from=extra,target=/x cat /x/a.txt > /mounted\n" +
            "COPY --from=img /marker /copied-marker\n";
        var build = store.Run(
            ["build", "--build-context", $"extra={extra}", "--build-context", "base=docker-image://marker:1", "--build-context", "img=docker-image://marker:1", "-t", "named:1", "-"],
            dockerfile, timeout: BuildTimeout);
        Assert.True(build.ExitCode == 0, build.ToString());
        var seen = store.Ok("run", "--rm", "--network", "none", "named:1", "sh", "-c", "cat /marker /a.txt /mounted /copied-marker; ls -A /all").Stdout;
        Assert.Equal("marker-image\nfrom-extra\nfrom-extra\nmarker-image\n.dockerignore\na.txt\n", seen);

        var bad = store.Run(["build", "--build-context", "novalue", "-"], "FROM busybox\n", timeout: BuildTimeout);
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("invalid context value: novalue, expected key=value", bad.Stderr.Trim());
        var missing = store.Run(["build", "--build-context", $"x={extra}/nope", "-"], "FROM busybox\n", timeout: BuildTimeout);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("not found", missing.Stderr, StringComparison.Ordinal);
        var fromDir = store.Run(["build", "--build-context", $"d={extra}", "-"], "FROM d\n", timeout: BuildTimeout);
        Assert.NotEqual(0, fromDir.ExitCode);
        Assert.Contains("FROM d", fromDir.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void CacheFrom_ALoadedImage_ReusesItsSteps_AndGivesTheSameImageId()
    {
        using var first = new PrivateStore(anchor, "cache-from-a");
        using var second = new PrivateStore(anchor, "cache-from-b");
        first.ImportBusybox();
        var context = Path.Combine(first.Dir, "ctx");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "f.txt"), "context file\n");
        File.WriteAllText(Path.Combine(context, "Dockerfile"), "FROM busybox\nENV A=1\nRUN cat /proc/sys/kernel/random/uuid > /id\nCOPY f.txt /f.txt\nCMD [\"cat\", \"/id\"]\n");
        var built = first.Run(["build", "-q", "-t", "cf:1", context], timeout: BuildTimeout);
        Assert.True(built.ExitCode == 0, built.ToString());
        var id = built.Stdout.Trim();
        var archive = Path.Combine(first.Dir, "cf.tar");
        first.Ok("save", "-o", archive, "busybox", "cf:1");

        second.Ok("load", "-i", archive);
        var reused = second.Run(["build", "--cache-from", "cf:1", "-t", "cf:2", context], timeout: BuildTimeout);
        Assert.True(reused.ExitCode == 0, reused.ToString());
        Assert.Equal(4, reused.Stdout.Split('\n').Count(l => l == " ---> Using cache"));
        Assert.DoesNotContain("Running in", reused.Stdout, StringComparison.Ordinal);
        Assert.Equal(id, second.Ok("inspect", "-f", "{{.Id}}", "cf:2").Stdout.Trim());
        var uuid = second.Ok("run", "--rm", "--network", "none", "cf:1").Stdout;
        Assert.Equal(uuid, second.Ok("run", "--rm", "--network", "none", "cf:2").Stdout);

        // Without the source (and without the local cache) the RUN runs again: another image.
        var fresh = second.Run(["build", "-q", "--no-cache", "--cache-from", "cf:1", context], timeout: BuildTimeout);
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        Assert.NotEqual(id, fresh.Stdout.Trim());
    }

    [Fact]
    public void Pull_ReResolvesTheBaseAgainstItsRegistry_AndAMissingBaseIsPulled()
    {
        using var registry = new RegistryServer();
        using var publisher = new PrivateStore(anchor, "pull-pub");
        using var builder = new PrivateStore(anchor, "pull-build");
        var reference = $"{registry.Host}/base/app:1";
        Publish(publisher, reference, "version-one");

        // A base that is not here is pulled, with pull's lines in the step log.
        const string dockerfile = "FROM {0}\nRUN cat /unique > /seen\n";
        var first = builder.Run(["build", "-t", "pulled:1", "-"], string.Format(System.Globalization.CultureInfo.InvariantCulture, dockerfile, reference), timeout: BuildTimeout);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Pulling from base/app", first.Stdout, StringComparison.Ordinal);
        Assert.Equal("version-one", builder.Ok("run", "--rm", "--network", "none", "pulled:1", "cat", "/seen").Stdout);

        Publish(publisher, reference, "version-two");
        var stale = builder.Run(["build", "-t", "pulled:2", "-"], string.Format(System.Globalization.CultureInfo.InvariantCulture, dockerfile, reference), timeout: BuildTimeout);
        Assert.True(stale.ExitCode == 0, stale.ToString());
        Assert.Equal("version-one", builder.Ok("run", "--rm", "--network", "none", "pulled:2", "cat", "/seen").Stdout);

        var pulled = builder.Run(["build", "--pull", "-t", "pulled:3", "-"], string.Format(System.Globalization.CultureInfo.InvariantCulture, dockerfile, reference), timeout: BuildTimeout);
        Assert.True(pulled.ExitCode == 0, pulled.ToString());
        Assert.Contains($"Status: Downloaded newer image for {reference}", pulled.Stdout, StringComparison.Ordinal);
        Assert.Equal("version-two", builder.Ok("run", "--rm", "--network", "none", "pulled:3", "cat", "/seen").Stdout);

        var gone = builder.Run(["build", "--pull", "-"], $"FROM {registry.Host}/base/nosuch:1\n", timeout: BuildTimeout);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("nosuch", gone.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Platform_TheHostsIsAccepted_AnotherIsRefused()
    {
        using var store = new PrivateStore(anchor, "platform");
        store.ImportBusybox();
        var arch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "amd64";
        var other = arch == "amd64" ? "arm64" : "amd64";
        foreach (var platform in new[] { $"linux/{arch}", "linux" })
        {
            var ok = store.Run(["build", "-q", "--platform", platform, "-"], "FROM busybox\nRUN true\n", timeout: BuildTimeout);
            Assert.True(ok.ExitCode == 0, ok.ToString());
        }

        var refused = store.Run(["build", "--platform", $"linux/{other}", "-"], "FROM busybox\nRUN true\n", timeout: BuildTimeout);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"--platform linux/{other}: anchor build builds for the host's platform only (linux/{arch})", refused.Stderr.Trim());
        Assert.DoesNotContain("Step 1", refused.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretFromEnvironment_IsMountedDuringRun_AndNotInTheImage()
    {
        using var store = new PrivateStore(anchor, "secret-env");
        store.ImportBusybox();
        const string value = "env-secret-91c2";
        var env = new Dictionary<string, string?> { ["MY_TOKEN"] = value, ["OTHER_TOKEN"] = value + "-other" };
        var dockerfile = "FROM busybox\n" +
            "RUN --mount=type=secret,id=tok echo \"tok: $(cat /run/secrets/tok)\"\n" +
            "RUN --mount=type=secret,id=OTHER_TOKEN echo \"other: $(cat /run/secrets/OTHER_TOKEN)\"\n";
        var build = store.Run(["build", "--no-cache", "--secret", "id=tok,env=MY_TOKEN", "--secret", "id=OTHER_TOKEN", "-t", "sec-env", "-"], dockerfile, env, BuildTimeout);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains($"tok: {value}\n", build.Stdout, StringComparison.Ordinal);
        Assert.Contains($"other: {value}-other\n", build.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(value, store.Ok("history", "--no-trunc", "sec-env").Stdout, StringComparison.Ordinal);
        Assert.Equal("", store.Ok("run", "--rm", "--network", "none", "sec-env", "sh", "-c", "ls /run/secrets 2>/dev/null; true").Stdout);

        var unset = store.Run(["build", "--secret", "id=tok,env=NO_SUCH_VARIABLE_X", "-"], "FROM busybox\n", timeout: BuildTimeout);
        Assert.Equal(1, unset.ExitCode);
        Assert.Equal("secret tok: environment variable NO_SUCH_VARIABLE_X is not set", unset.Stderr.Trim());
    }

    /// <summary>busybox plus a file /unique holding <paramref name="unique"/>, pushed as <paramref name="reference"/>.</summary>
    private void Publish(PrivateStore store, string reference, string unique)
    {
        using var tar = new TarBuilder().CopyFrom(anchor.BusyboxTar).File("unique", unique);
        var path = Path.Combine(store.Dir, "img-" + unique + ".tar");
        Directory.CreateDirectory(store.Dir);
        File.WriteAllBytes(path, tar.ToArray());
        store.Ok("import", path, reference);
        var push = store.Run(["push", reference], timeout: BuildTimeout);
        Assert.True(push.ExitCode == 0, push.ToString());
    }
}
