using Anchor.Images.Archives;
using Anchor.Oci;
using Anchor.Oci.Reference;

namespace Anchor.Images.Tests;

public sealed class ImageStoreTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly ImageStore _store;

    public ImageStoreTests() => _store = new ImageStore(_tmp.Path);

    public void Dispose() => _tmp.Dispose();

    private static string? NoContainer(Digest _) => null;

    private StoredImage Import(string content, params string[] tags)
    {
        var tar = new TarBuilder().File("content", content).Build();
        var image = new RootfsImporter(_store).Import(new MemoryStream(tar), tags.Length > 0 ? ImageReference.Parse(tags[0]) : null);
        foreach (var tag in tags.Skip(1))
        {
            _store.Tag(image, ImageReference.Parse(tag));
        }

        return _store.Get(image.Id);
    }

    [Fact]
    public void Find_accepts_names_ids_and_prefixes()
    {
        var image = Import("busybox", "busybox:latest");
        var hex = image.Id.Encoded;

        foreach (var name in new[] { "busybox", "busybox:latest", "docker.io/library/busybox", "docker.io/library/busybox:latest", "library/busybox", image.Id.ToString(), hex, hex[..5], "sha256:" + hex[..7], image.Id.Short, "busybox@" + image.ManifestDigest })
        {
            Assert.Equal(image.Id, _store.Find(name)?.Id);
        }

        Assert.Null(_store.Find("busybox:other"));
        Assert.Null(_store.Find("nope"));
        Assert.Null(_store.Find(hex[..2]));
        Assert.Equal("No such image: nope", Assert.Throws<ImageNotFoundException>(() => _store.Get("nope")).Message);
        Assert.Equal(["busybox:latest"], image.RepoTags);
        Assert.Equal(7, image.Size);
    }

    [Fact]
    public void Tag_moves_the_tag_and_leaves_the_old_image_dangling()
    {
        var old = Import("v1", "app:latest");
        var newer = Import("v2");

        _store.Tag(newer, ImageReference.Parse("app"));

        Assert.Equal(newer.Id, _store.Find("app")!.Id);
        Assert.True(_store.Get(old.Id).IsDangling);
        Assert.Equal(2, _store.List().Count);
    }

    [Fact]
    public void Removing_one_of_several_tags_only_untags()
    {
        var image = Import("x", "busybox:latest", "busybox:1.36");

        var result = _store.Remove("busybox:1.36", force: false, NoContainer);

        Assert.Equal(["Untagged: busybox:1.36"], result.Lines);
        Assert.Equal(["busybox:latest"], _store.Get(image.Id).RepoTags);
    }

    [Fact]
    public void Removing_the_last_tag_deletes_the_image_and_collects_its_content()
    {
        var image = Import("x", "busybox:latest");
        var layer = image.Manifest.Layers[0].Digest;

        var result = _store.Remove("busybox", force: false, NoContainer);

        Assert.Equal(["Untagged: busybox:latest", $"Deleted: {image.Id}", $"Deleted: {image.ChainIds[0]}"], result.Lines);
        Assert.Null(_store.Find(image.Id.ToString()));
        Assert.Empty(_store.List());
        Assert.False(_store.Content.Exists(layer));
        Assert.False(_store.Content.Exists(image.Id));
        Assert.False(_store.Content.Exists(image.ManifestDigest));
        Assert.False(_store.Snapshots.Exists(image.ChainIds[0]));
    }

    [Fact]
    public void Shared_layers_survive_until_the_last_image_goes()
    {
        var a = Import("shared", "a:latest");
        var b = Import("shared", "b:latest");
        Assert.Equal(a.ChainIds, b.ChainIds);
        Assert.NotEqual(a.Id, b.Id);

        _store.Remove("a", false, NoContainer);
        Assert.True(_store.Snapshots.Exists(a.ChainIds[0]));
        Assert.True(_store.Content.Exists(a.Manifest.Layers[0].Digest));

        _store.Remove(b.Id.Short, false, NoContainer);
        Assert.False(_store.Snapshots.Exists(a.ChainIds[0]));
        Assert.Empty(_store.Content.List());
    }

    [Fact]
    public void Removing_by_id_with_several_repositories_needs_force()
    {
        var image = Import("x", "busybox:latest", "example.com/me/busybox:1");

        var e = Assert.Throws<ImageException>(() => _store.Remove(image.Id.Short, false, NoContainer));
        Assert.Equal($"conflict: unable to delete {image.Id.Short} (must be forced) - image is referenced in multiple repositories", e.Message);
        Assert.Equal(ImageErrorKind.Conflict, e.Kind);

        var result = _store.Remove(image.Id.Short, true, NoContainer);
        Assert.Equal(["Untagged: busybox:latest", "Untagged: example.com/me/busybox:1", $"Deleted: {image.Id}", $"Deleted: {image.ChainIds[0]}"], result.Lines);
        Assert.Empty(_store.List());
    }

    [Fact]
    public void Removing_by_id_with_tags_of_one_repository_untags_them_all()
    {
        var image = Import("x", "busybox:latest", "busybox:1");

        var result = _store.Remove(image.Id.ToString(), false, NoContainer);

        Assert.Equal(3, result.Untagged.Count + result.Deleted.Count - 1);
        Assert.Empty(_store.List());
    }

    [Fact]
    public void An_image_used_by_a_container_needs_force_and_then_stays_dangling()
    {
        var image = Import("x", "busybox:latest");
        string? InUse(Digest id) => id == image.Id ? "0123456789abcdef" : null;

        var e = Assert.Throws<ImageException>(() => _store.Remove("busybox", false, InUse));
        Assert.Equal($"conflict: unable to remove repository reference \"busybox\" (must force) - container 0123456789ab is using its referenced image {image.Id.Short}", e.Message);
        Assert.Throws<ImageException>(() => _store.Remove(image.Id.Short, false, InUse));

        var result = _store.Remove("busybox", true, InUse);
        Assert.Equal(["Untagged: busybox:latest"], result.Lines);
        Assert.True(_store.Get(image.Id).IsDangling);
        Assert.True(_store.Snapshots.Exists(image.ChainIds[0]));
    }

    [Fact]
    public void Removing_an_unknown_image_throws_not_found()
    {
        Assert.Throws<ImageNotFoundException>(() => _store.Remove("nope", false, NoContainer));
    }

    [Fact]
    public void Concurrent_tagging_loses_no_update()
    {
        var image = Import("x");
        Parallel.For(0, 24, i => new ImageStore(_tmp.Path).Tag(image, ImageReference.Parse($"app:{i}")));

        Assert.Equal(24, _store.Get(image.Id).References.Count);
    }
}
