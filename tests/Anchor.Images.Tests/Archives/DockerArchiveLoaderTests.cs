using System.Formats.Tar;
using System.Text.Json;
using Anchor.Images.Archives;
using Anchor.Oci;
using Anchor.Oci.Image;

namespace Anchor.Images.Tests.Archives;

public sealed class DockerArchiveLoaderTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly ImageStore _store;

    public DockerArchiveLoaderTests() => _store = new ImageStore(_tmp.Path);

    public void Dispose() => _tmp.Dispose();

    private static (byte[] L1, byte[] L2) Layers() =>
        (new TarBuilder().Dir("bin/").File("bin/busybox", "elf", (UnixFileMode)0x1ED).Symlink("bin/sh", "/bin/busybox").Build(),
         new TarBuilder().Dir("etc/").File("etc/motd", "hi").File("bin/.wh.sh", "").Build());

    private void AssertStoreEmpty()
    {
        Assert.Empty(_store.List());
        Assert.Empty(_store.Content.List());
        Assert.Empty(_store.Snapshots.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_tmp.Path, "ingest")));
    }

    [Fact]
    public void Docker_archive_round_trip()
    {
        var (l1, l2) = Layers();
        var config = DockerArchiveBuilder.Config([l1, l2]);
        var archive = DockerArchiveBuilder.Build(config, [l1, TarBuilder.Gzip(l2)], ["busybox:latest", "example.com/tools/bb:1"]);

        var loaded = new DockerArchiveLoader(_store).Load(new MemoryStream(archive));

        var image = Assert.Single(loaded).Image;
        Assert.Equal(["Loaded image: busybox:latest", "Loaded image: example.com/tools/bb:1"], loaded[0].Lines);
        Assert.Equal(Digest.Sha256(config), image.Id);
        Assert.Equal(image.Id, _store.Find("busybox")!.Id);
        Assert.Equal(image.Id, _store.Find("example.com/tools/bb:1")!.Id);
        Assert.Equal(config, _store.Content.ReadAll(image.Id));
        var paths = _store.LayerPaths(image);
        Assert.Equal(2, paths.Count);
        Assert.True(File.Exists(Path.Combine(paths[0], "etc/motd")), "top layer first");
        Assert.Equal("/bin/busybox", new FileInfo(Path.Combine(paths[1], "bin/sh")).LinkTarget);
        Assert.Equal(MediaTypes.OciLayer, image.Manifest.Layers[0].MediaType);
        Assert.Equal(MediaTypes.OciLayerGzip, image.Manifest.Layers[1].MediaType);
        Assert.True(_store.Content.Exists(image.Manifest.Layers[1].Digest));
        Assert.Equal(5, image.Size);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_tmp.Path, "ingest")));
    }

    [Fact]
    public void Whole_archive_gzip_with_manifest_first_and_no_tags()
    {
        var (l1, _) = Layers();
        var config = DockerArchiveBuilder.Config([l1]);
        var archive = TarBuilder.Gzip(DockerArchiveBuilder.Build(config, [l1], [], manifestLast: false));

        var loaded = new DockerArchiveLoader(_store).Load(new MemoryStream(archive));

        Assert.Equal([$"Loaded image ID: {Digest.Sha256(config)}"], loaded[0].Lines);
        Assert.True(loaded[0].Image.IsDangling);
    }

    [Fact]
    public void Loading_twice_reuses_layers()
    {
        var (l1, l2) = Layers();
        var archive = DockerArchiveBuilder.Build(DockerArchiveBuilder.Config([l1, l2]), [l1, l2], ["a:1"]);

        new DockerArchiveLoader(_store).Load(new MemoryStream(archive));
        var again = new DockerArchiveLoader(_store).Load(new MemoryStream(archive));

        Assert.Equal(2, _store.Snapshots.List().Count());
        Assert.Single(_store.List());
        Assert.Equal(["a:1"], again[0].Image.RepoTags);
    }

    [Fact]
    public void A_layer_that_does_not_match_its_diff_id_is_rejected_and_nothing_kept()
    {
        var (l1, l2) = Layers();
        var config = DockerArchiveBuilder.Config([l1, l2]);
        var tampered = new TarBuilder().Dir("etc/").File("etc/motd", "evil").Build();
        var archive = DockerArchiveBuilder.Build(config, [l1, tampered], ["busybox:latest"]);

        var e = Assert.Throws<ImageException>(() => new DockerArchiveLoader(_store).Load(new MemoryStream(archive)));

        Assert.Contains("diff ID", e.Message, StringComparison.Ordinal);
        AssertStoreEmpty();
    }

    [Fact]
    public void Truncated_archive_is_rejected_and_nothing_kept()
    {
        var (l1, l2) = Layers();
        var archive = DockerArchiveBuilder.Build(DockerArchiveBuilder.Config([l1, l2]), [l1, l2], ["busybox:latest"]);

        var e = Assert.Throws<ImageException>(() => new DockerArchiveLoader(_store).Load(new MemoryStream(archive[..(archive.Length / 2)])));

        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        AssertStoreEmpty();
    }

    [Fact]
    public void Non_tar_input_is_rejected()
    {
        var e = Assert.Throws<ImageException>(() => new DockerArchiveLoader(_store).Load(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(new string('z', 2000)))));

        Assert.Contains("not a tar archive", e.Message, StringComparison.Ordinal);
        AssertStoreEmpty();
    }

    [Fact]
    public void Archive_without_manifest_is_rejected()
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, leaveOpen: true))
        {
            DockerArchiveBuilder.Add(w, "hello.txt", "x"u8.ToArray());
        }

        var e = Assert.Throws<ImageException>(() => new DockerArchiveLoader(_store).Load(new MemoryStream(ms.ToArray())));
        Assert.Contains("manifest.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Oci_layout_archive_loads_with_its_name()
    {
        var (l1, l2) = Layers();
        var gz2 = TarBuilder.Gzip(l2);
        var config = DockerArchiveBuilder.Config([l1, l2]);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new ImageManifest
        {
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Sha256(config), Size = config.Length },
            Layers =
            [
                new Descriptor { MediaType = MediaTypes.OciLayer, Digest = Digest.Sha256(l1), Size = l1.Length },
                new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(gz2), Size = gz2.Length },
            ],
        }, OciJsonContext.Default.ImageManifest);
        var index = JsonSerializer.SerializeToUtf8Bytes(new ImageIndex
        {
            Manifests =
            [
                new Descriptor
                {
                    MediaType = MediaTypes.OciManifest, Digest = Digest.Sha256(manifest), Size = manifest.Length,
                    Annotations = new() { ["io.containerd.image.name"] = "docker.io/library/alpine:3", ["org.opencontainers.image.ref.name"] = "3" },
                },
            ],
        }, OciJsonContext.Default.ImageIndex);
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, leaveOpen: true))
        {
            DockerArchiveBuilder.Add(w, "oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray());
            foreach (var blob in new[] { l1, gz2, config, manifest })
            {
                DockerArchiveBuilder.Add(w, "blobs/sha256/" + Digest.Sha256(blob).Encoded, blob);
            }

            DockerArchiveBuilder.Add(w, "index.json", index);
        }

        var loaded = new DockerArchiveLoader(_store).Load(new MemoryStream(ms.ToArray()));

        Assert.Equal(["Loaded image: alpine:3"], loaded[0].Lines);
        var image = _store.Get("alpine:3");
        Assert.Equal(Digest.Sha256(manifest), image.ManifestDigest);
        Assert.Equal(Digest.Sha256(config), image.Id);
        Assert.Equal(2, _store.LayerPaths(image).Count);
    }
}
