using Anchor.Images.Content;
using Anchor.Oci;

namespace Anchor.Images.Tests.Content;

public sealed class ContentStoreTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Write_stores_under_the_digest_and_reads_back()
    {
        var store = new ContentStore(_tmp.Path);
        var data = "hello blob"u8.ToArray();

        var digest = store.Write(new MemoryStream(data));

        Assert.Equal(Digest.Sha256(data), digest);
        Assert.True(File.Exists(Path.Combine(_tmp.Path, "blobs/sha256", digest.Encoded)));
        Assert.True(store.Exists(digest));
        Assert.Equal(data, store.ReadAll(digest));
        Assert.Equal(data.Length, store.Size(digest));
        using (var s = store.Open(digest))
        {
            Assert.Equal(digest, Digest.Sha256(s));
        }

        Assert.Equal([digest], store.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_tmp.Path, "ingest")));
    }

    [Fact]
    public void Digest_mismatch_throws_and_leaves_nothing()
    {
        var store = new ContentStore(_tmp.Path);
        var wrong = Digest.Sha256("other"u8);

        var e = Assert.Throws<ImageException>(() => store.Write(new MemoryStream("data"u8.ToArray()), wrong));

        Assert.Contains("digest mismatch", e.Message, StringComparison.Ordinal);
        Assert.False(store.Exists(wrong));
        Assert.Empty(store.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_tmp.Path, "ingest")));
    }

    [Fact]
    public void Size_mismatch_throws_and_leaves_nothing()
    {
        var store = new ContentStore(_tmp.Path);
        var data = "data"u8.ToArray();

        Assert.Throws<ImageException>(() => store.Write(new MemoryStream(data), Digest.Sha256(data), expectedSize: 3));

        Assert.Empty(store.List());
    }

    [Fact]
    public void Writing_the_same_content_twice_is_harmless_and_delete_removes()
    {
        var store = new ContentStore(_tmp.Path);
        var a = store.WriteBytes("same"u8);
        var b = store.Write(new MemoryStream("same"u8.ToArray()), a, 4);

        Assert.Equal(a, b);
        store.Delete(a);
        Assert.False(store.Exists(a));
        var e = Assert.Throws<ImageException>(() => store.ReadAll(a));
        Assert.Equal(ImageErrorKind.NotFound, e.Kind);
    }
}
