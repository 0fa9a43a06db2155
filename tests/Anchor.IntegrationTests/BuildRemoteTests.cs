using System.Security.Cryptography;

namespace Anchor.IntegrationTests;

/// <summary>
/// ADD of an http URL (a local python3 http.server) with docker's naming, Last-Modified time and
/// 0600 mode, ADD --checksum (URLs only, as BuildKit), and COPY --parents (BuildKit's semantics).
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class BuildRemoteTests(AnchorFixture anchor)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(180);

    [Fact]
    public void AddUrl_NamedByThePath_LastModifiedTime_Mode0600_NotExtracted_ChecksumVerified()
    {
        using var server = new FileServer();
        using var store = new PrivateStore(anchor, "add-url");
        store.ImportBusybox();
        File.WriteAllText(Path.Combine(server.Dir, "data.txt"), "served data\n");
        var modified = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(server.Dir, "data.txt"), modified);
        using (var tar = new TarBuilder().File("inside", "x"))
        {
            File.WriteAllBytes(Path.Combine(server.Dir, "pkg.tar"), tar.ToArray());
        }

        var sum = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(server.Dir, "data.txt"))));
        var dockerfile = "FROM busybox\n" +
            $"ADD {server.Url("/data.txt")} /downloads/\n" +
            $"ADD --chmod=644 {server.Url("/pkg.tar")} /pkg.tar\n" +
            $"ADD --checksum=sha256:{sum} {server.Url("/data.txt")} /checked.txt\n";
        var build = store.Run(["build", "-t", "add-url:1", "-"], dockerfile, timeout: BuildTimeout);
        Assert.True(build.ExitCode == 0, build.ToString());
        var seen = store.Ok("run", "--rm", "--network", "none", "add-url:1", "sh", "-c",
            "stat -c '%n %a %u %g %Y' /downloads/data.txt /pkg.tar /checked.txt; cat /checked.txt; ls /downloads").Stdout;
        var epoch = new DateTimeOffset(modified).ToUnixTimeSeconds();
        Assert.Equal($"/downloads/data.txt 600 0 0 {epoch}\n/pkg.tar 644 0 0 {File.GetLastWriteTimeUtc(Path.Combine(server.Dir, "pkg.tar")).Subtract(DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerSecond}\n/checked.txt 600 0 0 {epoch}\nserved data\ndata.txt\n", seen);

        var wrong = store.Run(["build", "-"], $"FROM busybox\nADD --checksum=sha256:{new string('0', 64)} {server.Url("/data.txt")} /d\n", timeout: BuildTimeout);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains($"digest mismatch sha256:{new string('0', 64)}: sha256:{sum}", wrong.Stderr, StringComparison.Ordinal);

        var missing = store.Run(["build", "-"], $"FROM busybox\nADD {server.Url("/nope.txt")} /d\n", timeout: BuildTimeout);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains($"failed to GET {server.Url("/nope.txt")} with status 404", missing.Stderr, StringComparison.Ordinal);

        var local = Path.Combine(store.Dir, "ctx");
        Directory.CreateDirectory(local);
        File.WriteAllText(Path.Combine(local, "f"), "x");
        File.WriteAllText(Path.Combine(local, "Dockerfile"), $"FROM busybox\nADD --checksum=sha256:{sum} f /f\n");
        var refused = store.Run(["build", local], timeout: BuildTimeout);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Equal("Dockerfile:2: checksum can't be specified for non-HTTP(S) sources", refused.Stderr.Trim());
    }

    [Fact]
    public void CopyParents_KeepsEachSourcesPath_FromTheRootOrFromAPivot()
    {
        using var store = new PrivateStore(anchor, "copy-parents");
        store.ImportBusybox();
        var context = Path.Combine(store.Dir, "ctx");
        foreach (var dir in new[] { "x/sub", "y", "src/pkg/deep" })
        {
            Directory.CreateDirectory(Path.Combine(context, dir));
        }

        File.WriteAllText(Path.Combine(context, "x", "sub", "a.json"), "a");
        File.WriteAllText(Path.Combine(context, "y", "b.json"), "b");
        File.WriteAllText(Path.Combine(context, "y", "c.txt"), "c");
        File.WriteAllText(Path.Combine(context, "src", "pkg", "deep", "d.txt"), "d");
        File.WriteAllText(Path.Combine(context, "Dockerfile"),
            "FROM busybox\n" +
            "COPY --parents x/sub/a.json y/*.json /app/\n" +
            "COPY --parents ./src/./pkg /piv/\n" +
            "COPY x/sub/a.json /flat/\n");
        var build = store.Run(["build", "-t", "parents:1", context], timeout: BuildTimeout);
        Assert.True(build.ExitCode == 0, build.ToString());
        var found = store.Ok("run", "--rm", "--network", "none", "parents:1", "sh", "-c", "find /app /piv /flat -type f").Stdout;
        Assert.Equal(
            new[] { "/app/x/sub/a.json", "/app/y/b.json", "/flat/a.json", "/piv/pkg/deep/d.txt" },
            found.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray());
    }
}
