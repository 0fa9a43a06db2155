using System.Security.Cryptography;

namespace Anchor.IntegrationTests;

/// <summary>
/// Kill points of what came after the first kill-point suite (<see cref="SecurityKillPointTests"/>):
/// build steps with cache and secret mounts, push with gzip compression from the CLI, and pull and
/// push through `anchor serve` (the server SIGKILLed mid-transfer). Each is killed at random
/// moments at least ten times; then the repeated operation must succeed and the store must hold
/// nothing a killed command left (<see cref="StoreAudit"/>, every blob hashing to its name, no
/// mount, cgroup, process or record-less directory). The OCI runtime's create has its own
/// (<see cref="SecurityKillPointOciTests"/>).
/// </summary>
[Collection(AnchorCollection.Name)]
public sealed class SecurityKillPointRecentTests(AnchorFixture anchor) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(anchor.TempDir, "kill2-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void BuildWithCacheAndSecretMounts_KilledAtRandomMoments_LeavesNoLockSecretOrStaging()
    {
        var context = Path.Combine(_dir, "ctx");
        Directory.CreateDirectory(context);
        File.Copy(KillPoints.BigFile(_dir), Path.Combine(context, "big.bin"));
        var secret = Path.Combine(_dir, "token");
        File.WriteAllText(secret, "kill-point-secret");
        File.WriteAllText(Path.Combine(context, "Dockerfile"), """
            FROM busybox
            COPY big.bin /big.bin
            RUN --mount=type=cache,target=/cache,id=killcache,sharing=locked cp /big.bin /cache/copy && wc -c /cache/copy > /size
            RUN --mount=type=secret,id=tok,mode=0400 cat /run/secrets/tok > /dev/null && cp /big.bin /again && sleep 0.2
            RUN --mount=type=cache,target=/cache,id=killcache,sharing=private ls /cache > /listing
            CMD ["cat", "/size"]
            """);
        string[] build = ["build", "--no-cache", "--secret", $"id=tok,src={secret}", "-t", "kill-mounts:1", context];

        var window = KillPoints.Time(() => anchor.Anchor(build, timeout: Timeout), "build with mounts");
        new KillPoints().Repeat("anchor build with mounts", window, delay => KillPoints.KillAfter(Start(build), delay, "build"), delay => Images(delay, "build"));

        // A cache lock left held would make this wait for ever (sharing=locked).
        Ok(build);
        Assert.Equal("25165824 /cache/copy", Ok("run", "--rm", "kill-mounts:1").Out);
        StoreAudit.AssertNothingLeft(anchor, "build");
        var cacheMounts = Path.Combine(anchor.Root, "build-cache-mounts");
        var strays = Directory.Exists(cacheMounts)
            ? Directory.GetFileSystemEntries(cacheMounts).Select(Path.GetFileName).Where(n => n!.Contains(".new-", StringComparison.Ordinal)).ToList()
            : [];
        Assert.True(strays.Count == 0, "cache directories half made: " + string.Join(", ", strays));
        var secrets = Directory.EnumerateFiles(anchor.Root, "*", SearchOption.AllDirectories)
            .Where(f => new FileInfo(f).Length == "kill-point-secret".Length && File.ReadAllText(f) == "kill-point-secret").ToList();
        Assert.True(secrets.Count == 0, "secret copies left: " + string.Join(", ", secrets));
        Ok("ps", "-a");
        anchor.AssertNoLeftovers();
        Ok("rmi", "kill-mounts:1");
    }

    [Fact]
    public void PushWithGzip_KilledAtRandomMoments_LeavesNoPartialBlobAndPushesAgain()
    {
        using var registry = new RegistryServer();
        var reference = $"{registry.Host}/kill/gzip:1";
        string[] push = ["push", "--compression-format", "gzip", "--compression-level", "9", reference];
        var window = Fresh(reference, () => KillPoints.Time(() => anchor.Anchor(push, timeout: Timeout), "push --compression-format gzip"));

        new KillPoints().Repeat("anchor push", window, delay => KillPoints.KillAfter(Start(push), delay, "push"), delay =>
        {
            Images(delay, "push");
            Fresh(reference, () => 0);
        });

        Ok(push);
        AssertStoreWhole("push");
        // What the registry got is whole: pulled back, it is the image.
        Ok("rmi", reference);
        Ok("pull", reference);
        AssertStoreWhole("pull");
        Ok("rmi", reference);
    }

    [Fact]
    public void ServerPull_ServerKilledAtRandomMoments_NextServerSeesAConsistentStore()
    {
        using var registry = new RegistryServer();
        var reference = $"{registry.Host}/kill/api-pull:1";
        Ok("import", KillPoints.RootfsTar(_dir), reference);
        Ok("push", reference);
        Ok("rmi", reference);
        var pull = $"/v1.44/images/create?fromImage={Uri.EscapeDataString($"{registry.Host}/kill/api-pull")}&tag=1";

        var window = KillPoints.Time(() => ServerKilledAfter(pull, -1));
        Ok("rmi", reference);
        new KillPoints().Repeat("API pull", window, delay => ServerKilledAfter(pull, delay), delay =>
        {
            Images(delay, "serve (pull)");
            SystemCheck(delay, "pull");
            anchor.Anchor(["rmi", reference]);
        });

        ServerKilledAfter(pull, -1);
        AssertStoreWhole("serve");
        Ok("rmi", reference);
    }

    [Fact]
    public void ServerPush_ServerKilledAtRandomMoments_NextServerSeesAConsistentStore()
    {
        using var registry = new RegistryServer();
        var reference = $"{registry.Host}/kill/api-push:1";
        var push = $"/v1.44/images/{registry.Host}/kill/api-push/push?tag=1"; // as docker's client sends it: the name unescaped
        var window = Fresh(reference, () => KillPoints.Time(() => ServerKilledAfter(push, -1)));

        new KillPoints().Repeat("API push", window, delay => ServerKilledAfter(push, delay), delay =>
        {
            Images(delay, "serve (push)");
            SystemCheck(delay, "push");
            Fresh(reference, () => 0);
        });

        ServerKilledAfter(push, -1);
        AssertStoreWhole("serve");
        Ok("rmi", reference);
        Ok("pull", reference);
        AssertStoreWhole("pull");
        Ok("rmi", reference);
    }

    /// <summary>The image as import makes it (plain-tar layers, which a push compresses), then <paramref name="then"/>.</summary>
    private double Fresh(string reference, Func<double> then)
    {
        anchor.Anchor(["rmi", reference]);
        Ok("import", KillPoints.RootfsTar(_dir), reference);
        return then();
    }

    /// <summary>
    /// A fresh `anchor serve` on the store, the request POSTed to it, and a SIGKILL of the server
    /// after <paramref name="delay"/> ms (never, when negative: then the request's answer is
    /// awaited and the server stopped with SIGTERM). Returns null when the kill came first.
    /// </summary>
    private double? ServerKilledAfter(string path, int delay)
    {
        using var api = new ServedApi(anchor);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var request = api.Http.PostAsync(new Uri(path, UriKind.Relative), null);
        if (delay >= 0 && !request.Wait(delay))
        {
            api.Server.Kill();
            Assert.True(api.Server.WaitForExit(10_000), "anchor serve did not die");
            try
            {
                request.Wait(10_000);
            }
            catch (AggregateException)
            {
                // The connection went with the server.
            }

            return null;
        }

        request.Wait(Timeout);
        using var response = request.Result;
        var body = response.Content.ReadAsStringAsync().Result;
        var took = clock.Elapsed.TotalMilliseconds;
        Assert.True(response.IsSuccessStatusCode && !body.Contains("\"error\"", StringComparison.Ordinal), $"{path}: {(int)response.StatusCode} {body}");
        return took;
    }

    private System.Diagnostics.Process Start(string[] args) => KillPoints.StartQuiet(anchor.Bin, [.. anchor.StoreArgs, .. args]);

    private void Images(int delay, string verb)
    {
        var images = anchor.Anchor(["images"]);
        Assert.True(images.ExitCode == 0, $"images after killing {verb} at {delay} ms: {images}");
    }

    private void SystemCheck(int delay, string verb)
    {
        var check = anchor.Anchor(["system", "check"], timeout: Timeout);
        Assert.True(check.ExitCode == 0, $"system check after killing the server's {verb} at {delay} ms: {check}");
    }

    /// <summary>The audit, plus: every blob hashes to its name, and the store check finds nothing.</summary>
    private void AssertStoreWhole(string verb)
    {
        StoreAudit.AssertNothingLeft(anchor, verb);
        foreach (var blob in Directory.EnumerateFiles(Path.Combine(anchor.Root, "blobs", "sha256")))
        {
            using var stream = File.OpenRead(blob);
            Assert.True(Convert.ToHexStringLower(SHA256.HashData(stream)) == Path.GetFileName(blob), $"blob {Path.GetFileName(blob)} does not hash to its name");
        }

        var check = anchor.Anchor(["system", "check"], timeout: Timeout);
        Assert.True(check.ExitCode == 0, $"system check after {verb}: {check}");
    }

    private ProcessResult Ok(params string[] args)
    {
        var result = anchor.Anchor(args, timeout: Timeout);
        Assert.True(result.ExitCode == 0, $"anchor {string.Join(' ', args)}: {result}");
        return result;
    }
}
