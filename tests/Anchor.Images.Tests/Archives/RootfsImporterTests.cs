using Anchor.Images.Archives;
using Anchor.Oci;
using Anchor.Oci.Image;
using Anchor.Oci.Reference;

namespace Anchor.Images.Tests.Archives;

public sealed class RootfsImporterTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Import_makes_a_one_layer_image_from_a_gzip_rootfs()
    {
        var store = new ImageStore(_tmp.Path);
        var tar = new TarBuilder().Dir("bin/").File("bin/sh", "elf", (UnixFileMode)0x1ED).Build();
        var gz = TarBuilder.Gzip(tar);

        var image = new RootfsImporter(store).Import(new MemoryStream(gz), ImageReference.Parse("myroot:1"), new ContainerConfig { Cmd = ["/bin/sh"] });

        Assert.Equal(["myroot:1"], image.RepoTags);
        Assert.Equal([Digest.Sha256(tar)], image.Config.RootFs.DiffIds);
        Assert.Null(image.Config.History![0].CreatedBy);
        Assert.Equal("Imported from -", image.Config.History![0].Comment);
        Assert.Equal(["/bin/sh"], image.Config.Config!.Cmd);
        Assert.Equal("linux", image.Config.Os);
        Assert.Equal(MediaTypes.OciLayerGzip, image.Manifest.Layers[0].MediaType);
        Assert.Equal(Digest.Sha256(gz), image.Manifest.Layers[0].Digest);
        Assert.Equal(gz, store.Content.ReadAll(image.Manifest.Layers[0].Digest));
        Assert.Equal(Digest.Sha256(store.Content.ReadAll(image.Id)), image.Id);
        Assert.Equal("elf", File.ReadAllText(Path.Combine(store.LayerPaths(image)[0], "bin/sh")));
        Assert.Equal(image.Id, store.Find("myroot:1")!.Id);
    }

    [Fact]
    public void Import_without_a_name_is_dangling()
    {
        var store = new ImageStore(_tmp.Path);

        var image = new RootfsImporter(store).Import(new MemoryStream(new TarBuilder().File("f", "x").Build()));

        Assert.True(image.IsDangling);
        Assert.Empty(image.RepoTags);
        Assert.Single(store.List());
    }

    [Fact]
    public void Import_of_garbage_fails_and_leaves_nothing()
    {
        var store = new ImageStore(_tmp.Path);

        Assert.Throws<ImageException>(() => new RootfsImporter(store).Import(new MemoryStream(new byte[700].Select((_, i) => (byte)(i % 251 + 1)).ToArray())));

        Assert.Empty(store.List());
        Assert.Empty(store.Content.List());
        Assert.Empty(store.Snapshots.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_tmp.Path, "ingest")));
    }
}
