namespace Anchor.IntegrationTests;

/// <summary>SOURCE_DATE_EPOCH (issue 14): the same Dockerfile and context give the same image ID in two stores at two times.</summary>
[Collection(AnchorCollection.Name)]
public sealed class BuildReproducibleTests(AnchorFixture anchor)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(120);

    private const string Dockerfile = "FROM busybox\nARG V=1\nENV GREETING=hi\n" +
        "COPY app/ /app/\n" +
        "COPY <<EOF /etc/motd\nhello $GREETING\nEOF\n" +
        "RUN mkdir -p /var/made && echo \"$V\" > /var/made/v && ln /var/made/v /var/made/hard\n" +
        "WORKDIR /app\nCMD [\"cat\", \"/etc/motd\"]\n";

    [Fact]
    public void SourceDateEpoch_GivesTheSameImageIdInTwoStoresAtTwoTimes()
    {
        using var first = new PrivateStore(anchor, "repro-a");
        using var second = new PrivateStore(anchor, "repro-b");
        first.ImportBusybox();
        // The same base image in both stores: imported once, carried over by save/load.
        Directory.CreateDirectory(first.Dir);
        var baseTar = Path.Combine(first.Dir, "base.tar");
        first.Ok("save", "-o", baseTar, AnchorFixture.Image);
        second.Ok("load", "-i", baseTar);

        var env = new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1700000000" };
        var idA = Build(first, env, []);
        Thread.Sleep(2100); // Another second for every time a build could write.
        var idB = Build(second, null, ["--build-arg", "SOURCE_DATE_EPOCH=1700000000"]);
        Assert.Equal(idA, idB);

        var created = second.Ok("inspect", "-f", "{{.Created}}", idB).Stdout.Trim();
        Assert.StartsWith("2023-11-14T22:13:20", created, StringComparison.Ordinal);
        var history = second.Ok("history", "--no-trunc", "--format", "{{.CreatedAt}}", idB).Stdout;
        Assert.DoesNotContain(DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-", history, StringComparison.Ordinal);
        var mtime = second.Ok("run", "--rm", "--network", "none", idB, "stat", "-c", "%Y", "/app/a.txt", "/etc/motd", "/var/made/v").Stdout;
        Assert.Equal("1700000000\n1700000000\n1700000000\n", mtime);

        // Without it, the second build's times are its own: another ID.
        var plain = Build(second, null, ["--no-cache"]);
        Assert.NotEqual(idB, plain);
    }

    private string Build(PrivateStore store, IDictionary<string, string?>? env, string[] extra)
    {
        // A context made now: its files' times differ between the two builds.
        var context = Path.Combine(store.Dir, "ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(context, "app"));
        File.WriteAllText(Path.Combine(context, "app", "a.txt"), "A\n");
        File.WriteAllText(Path.Combine(context, "Dockerfile"), Dockerfile);
        var build = store.Run(["build", "-q", .. extra, context], env: env, timeout: BuildTimeout);
        Assert.True(build.ExitCode == 0, build.ToString());
        return build.Stdout.Trim();
    }
}
