using System.Formats.Tar;

namespace Anchor.IntegrationTests;

/// <summary>RUN --mount (cache, tmpfs, bind, secret) and RUN --network (issue 14), as BuildKit gives them.</summary>
[Collection(AnchorCollection.Name)]
public sealed class BuildMountTests(AnchorFixture anchor)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void CacheMount_KeepsFilesAcrossBuilds_AndIsNotInTheImage()
    {
        using var store = new PrivateStore(anchor, "cache-mount");
        store.ImportBusybox();
        // The second build's RUN differs (another echo) so it runs again and must find the first one's file.
        const string first = "FROM busybox\nRUN --mount=type=cache,target=/root/.cache,id=dl echo downloaded > /root/.cache/pkg && echo first-run\n";
        const string second = "FROM busybox\nRUN --mount=type=cache,target=/root/.cache,id=dl echo \"seen: $(cat /root/.cache/pkg)\"; ls -A /root/.cache > /listing\n";
        var one = store.Run(["build", "-t", "c1", "-"], first, timeout: BuildTimeout);
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Contains("first-run", one.Stdout, StringComparison.Ordinal);
        var two = store.Run(["build", "-t", "c2", "-"], second, timeout: BuildTimeout);
        Assert.True(two.ExitCode == 0, two.ToString());
        Assert.Contains("seen: downloaded\n", two.Stdout, StringComparison.Ordinal);

        // In the images: the listing made through the mount, but no cache contents and no /root/.cache stub.
        var run = store.Run(["run", "--rm", "--network", "none", "c2", "sh", "-c", "cat /listing; ls -A /root; if test -e /root/.cache; then echo stub-left; fi"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("pkg\n", run.Stdout);
        var c1 = store.Run(["run", "--rm", "--network", "none", "c1", "sh", "-c", "ls -A /root"]);
        Assert.Equal("", c1.Stdout);
    }

    [Fact]
    public void SecretMount_IsReadableDuringRun_AndInNoLayerNorHistory()
    {
        using var store = new PrivateStore(anchor, "secret-mount");
        store.ImportBusybox();
        Directory.CreateDirectory(store.Dir);
        var secretFile = Path.Combine(store.Dir, "token.txt");
        const string secret = "s3cr3t-VALUE-7f1e";
        File.WriteAllText(secretFile, secret);
        const string dockerfile = "FROM busybox\n" +
            "RUN --mount=type=secret,id=x echo \"during: $(cat /run/secrets/x) $(stat -c %a /run/secrets/x)\" && cp /run/secrets/x /dev/null\n" +
            "RUN --mount=type=secret,id=x,target=/etc/tok,mode=0444,uid=65534 stat -c 'custom %a %u' /etc/tok\n" +
            "RUN --mount=type=secret,id=absent echo optional-ok\n";
        var build = store.Run(["build", "--secret", $"id=x,src={secretFile}", "-t", "sec", "-"], dockerfile, timeout: BuildTimeout);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains($"during: {secret} 400\n", build.Stdout, StringComparison.Ordinal);
        Assert.Contains("custom 444 65534\n", build.Stdout, StringComparison.Ordinal);
        Assert.Contains("optional-ok\n", build.Stdout, StringComparison.Ordinal);

        // Nowhere in the store either: snapshots, blobs, build cache, tmp (the step's copy is gone).
        foreach (var path in Directory.EnumerateFiles(Path.Combine(store.Dir, "root"), "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is null && info.Length is > 0 and < (8 << 20)) // devices and fifos are 0
            {
                Assert.False(File.ReadAllText(path).Contains(secret, StringComparison.Ordinal), $"the secret is in {path}");
            }
        }

        var history = store.Run(["history", "--no-trunc", "sec"]);
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.DoesNotContain(secret, history.Stdout, StringComparison.Ordinal);

        // Every file of every layer of the saved image: no secret, no /run/secrets stub.
        var archive = Path.Combine(store.Dir, "sec.tar");
        store.Ok("save", "-o", archive, "sec");
        var names = new List<string>();
        using (var outer = File.OpenRead(archive))
        {
            var reader = new TarReader(outer);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is null)
                {
                    continue;
                }

                using var data = new MemoryStream();
                entry.DataStream.CopyTo(data);
                Assert.DoesNotContain(secret, System.Text.Encoding.Latin1.GetString(data.ToArray()), StringComparison.Ordinal);
                data.Position = 0;
                if (IsTar(data))
                {
                    var layer = new TarReader(data);
                    while (layer.GetNextEntry() is { } file)
                    {
                        names.Add(file.Name);
                    }
                }
            }
        }

        Assert.NotEmpty(names);
        Assert.DoesNotContain(names, n => n.Contains("secrets", StringComparison.Ordinal) || n.Contains("etc/tok", StringComparison.Ordinal));

        // Another secret value does not change the steps' cache keys: the same image, every step reused.
        File.WriteAllText(secretFile, "another-value");
        var again = store.Run(["build", "--secret", $"id=x,src={secretFile}", "-t", "sec", "-"], dockerfile, timeout: BuildTimeout);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.DoesNotContain("during: another-value", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, again.Stdout.Split(" ---> Using cache").Length - 1);

        var required = store.Run(["build", "-"], "FROM busybox\nRUN --mount=type=secret,id=missing,required true\n", timeout: BuildTimeout);
        Assert.NotEqual(0, required.ExitCode);
        Assert.Contains("secret missing: not found", required.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void TmpfsBindAndNetwork_AreMountedAsAsked_AndUnknownTypesRefused()
    {
        var context = Path.Combine(anchor.TempDir, "bind-ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(context, "app"));
        File.WriteAllText(Path.Combine(context, "app", "data.txt"), "from-context\n");
        File.WriteAllText(Path.Combine(context, "Dockerfile"),
            "FROM busybox AS tool\nRUN echo from-stage > /made.txt\n" +
            "FROM busybox\n" +
            "RUN --mount=type=tmpfs,target=/scratch,size=1m df -k /scratch | tail -1 | awk '{print \"tmpfs-kb\", $2}'; grep ' /scratch ' /proc/mounts | cut -d' ' -f3\n" +
            "RUN --mount=type=bind,source=app,target=/mnt/app cat /mnt/app/data.txt; touch /mnt/app/x 2>/dev/null || echo bind-read-only\n" +
            "RUN --mount=type=bind,source=app,target=/mnt/app,rw echo changed > /mnt/app/data.txt && cat /mnt/app/data.txt\n" +
            "RUN --mount=type=bind,from=tool,source=/made.txt,target=/made.txt cat /made.txt\n" +
            "RUN --network=none ls /sys/class/net | tr '\\n' ' ' | sed 's/^/ifs: /'; echo\n");
        try
        {
            var build = anchor.Anchor(["build", "--no-cache", "-t", "mounts:1", context], timeout: BuildTimeout);
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Contains("tmpfs-kb 1024\ntmpfs\n", build.Stdout, StringComparison.Ordinal);
            Assert.Contains("from-context\nbind-read-only\n", build.Stdout, StringComparison.Ordinal);
            Assert.Contains("changed\n", build.Stdout, StringComparison.Ordinal);
            Assert.Contains("from-stage\n", build.Stdout, StringComparison.Ordinal);
            Assert.Contains("ifs: lo \n", build.Stdout, StringComparison.Ordinal);
            // rw writes are thrown away; nothing of the mounts is in the image.
            Assert.Equal("from-context\n", File.ReadAllText(Path.Combine(context, "app", "data.txt")));
            var run = anchor.Anchor(["run", "--rm", "--network", "none", "mounts:1", "sh", "-c", "for p in /scratch /mnt/app /made.txt; do test -e $p && echo left $p; done; echo end"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("end\n", run.Stdout);

            var bad = anchor.Anchor(["build", "-"], "FROM busybox\nRUN --mount=type=ssh,target=/x true\n", BuildTimeout);
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains("Dockerfile:2: unsupported mount type \"ssh\"", bad.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            anchor.Anchor(["rmi", "-f", "mounts:1"]);
            Directory.Delete(context, recursive: true);
        }
    }

    private static bool IsTar(Stream data)
    {
        var header = new byte[512];
        var n = data.Read(header, 0, header.Length);
        data.Position = 0;
        return n == 512 && System.Text.Encoding.ASCII.GetString(header, 257, 5) == "ustar";
    }
}
