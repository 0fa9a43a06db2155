using System.Text;
using System.Text.Json;

namespace Anchor.IntegrationTests;

/// <summary>anchor load of docker-archives (docker save's format), good and broken.</summary>
[Collection(AnchorCollection.Name)]
public sealed class LoadTests(AnchorFixture anchor)
{
    /// <summary>A docker-archive of one image whose only layer is the busybox rootfs tarball.</summary>
    private (byte[] Archive, string ConfigHex) DockerArchive(string repoTag, string? diffIdOverride = null)
    {
        var layer = File.ReadAllBytes(anchor.BusyboxTar);
        var layerHex = TarBuilder.Sha256Hex(layer);
        var config = $$$"""
            {"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z",
             "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"],"Labels":{"test":"{{{Guid.NewGuid():N}}}"}},
             "rootfs":{"type":"layers","diff_ids":["sha256:{{{diffIdOverride ?? layerHex}}}"]},
             "history":[{"created":"2024-01-01T00:00:00Z","created_by":"anchor integration test"}]}
            """;
        var configBytes = Encoding.UTF8.GetBytes(config);
        var configHex = TarBuilder.Sha256Hex(configBytes);
        var manifest = $$"""[{"Config":"{{configHex}}.json","RepoTags":["{{repoTag}}"],"Layers":["{{layerHex}}/layer.tar"]}]""";
        using var builder = new TarBuilder();
        var archive = builder
            .Directory(layerHex + "/")
            .File(layerHex + "/layer.tar", layer)
            .File(configHex + ".json", configBytes)
            .File("manifest.json", manifest)
            .ToArray();
        return (archive, configHex);
    }

    [Fact]
    public void Load_DockerArchive_LoadsARunnableImage()
    {
        var (archive, configHex) = DockerArchive("loaded:1");
        var file = Path.Combine(anchor.TempDir, "loaded.tar");
        File.WriteAllBytes(file, archive);
        try
        {
            var load = anchor.Anchor(["load", "-i", file], timeout: TimeSpan.FromSeconds(60));
            Assert.True(load.ExitCode == 0, load.ToString());
            Assert.Contains("Loaded image: loaded:1", load.Stdout);

            var run = anchor.Anchor(["run", "--rm", "loaded:1", "echo", "ok"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("ok", run.Out);

            // docker's image ID is the digest of the config.
            var inspect = anchor.Anchor(["image", "inspect", "loaded:1"]);
            Assert.True(inspect.ExitCode == 0, inspect.ToString());
            using var doc = JsonDocument.Parse(inspect.Stdout);
            Assert.Equal("sha256:" + configHex, doc.RootElement[0].GetProperty("Id").GetString());
            Assert.Contains(ImagesTests.ImageRows(anchor), r => r.Repository == "loaded" && r.Tag == "1" && r.Id == configHex[..12]);
        }
        finally
        {
            anchor.Anchor(["rmi", "loaded:1"]);
        }

        // The loaded image shared its layer with busybox: removing it must not break busybox.
        Assert.Equal("still", anchor.ShOk("echo still"));
    }

    [Fact]
    public void Load_FromStdin_LoadsTheImage()
    {
        var (archive, _) = DockerArchive("loaded:2");
        try
        {
            var load = anchor.Anchor(["load"], archive, TimeSpan.FromSeconds(60));
            Assert.True(load.ExitCode == 0, load.ToString());
            Assert.Contains("Loaded image: loaded:2", load.Stdout);
            var run = anchor.Anchor(["run", "--rm", "loaded:2", "echo", "ok"]);
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        finally
        {
            anchor.Anchor(["rmi", "loaded:2"]);
        }
    }

    [Fact]
    public void Load_TruncatedArchive_FailsAndChangesNothing()
    {
        var before = ImagesTests.QuietIds(anchor);
        var (archive, _) = DockerArchive("truncated:2");
        var file = Path.Combine(anchor.TempDir, "truncated-load.tar");
        File.WriteAllBytes(file, archive[..(archive.Length / 2)]);
        var load = anchor.Anchor(["load", "-i", file]);
        Assert.True(load.ExitCode != 0, load.ToString());
        Assert.Equal(before, ImagesTests.QuietIds(anchor));
        Assert.DoesNotContain(ImagesTests.ImageRows(anchor), r => r.Repository == "truncated");
        anchor.Anchor(["rmi", "truncated:2"]);
    }

    [Fact]
    public void Load_LayerNotMatchingDiffId_Fails()
    {
        var before = ImagesTests.QuietIds(anchor);
        var (archive, _) = DockerArchive("mismatch:1", diffIdOverride: new string('0', 64));
        var file = Path.Combine(anchor.TempDir, "mismatch.tar");
        File.WriteAllBytes(file, archive);
        var load = anchor.Anchor(["load", "-i", file]);
        Assert.True(load.ExitCode != 0, load.ToString());
        Assert.Equal(before, ImagesTests.QuietIds(anchor));
        anchor.Anchor(["rmi", "mismatch:1"]);
    }
}
