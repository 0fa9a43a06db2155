using Anchor.Images.Snapshots;
using Anchor.Oci;
using Anchor.Oci.Image;

namespace Anchor.Images.Tests.Snapshots;

public sealed class SnapshotStoreTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Unpack_names_the_snapshot_by_chain_id()
    {
        var store = new SnapshotStore(_tmp.Path);
        var l1 = new TarBuilder().File("a", "1").Build();
        var l2 = new TarBuilder().File("b", "2").Build();

        var r1 = store.Unpack(new MemoryStream(l1), null);
        var r2 = store.Unpack(new MemoryStream(TarBuilder.Gzip(l2)), r1.ChainId);

        var chain = ChainId.Compute([Digest.Sha256(l1), Digest.Sha256(l2)]);
        Assert.Equal(chain[0], r1.ChainId);
        Assert.Equal(chain[1], r2.ChainId);
        Assert.True(r2.Created);
        Assert.True(store.Exists(chain[1]));
        Assert.Equal("2", File.ReadAllText(Path.Combine(store.FsPath(chain[1]), "b")));
        Assert.Equal(Path.Combine(_tmp.Path, "snapshots", chain[1].Encoded, "fs"), store.FsPath(chain[1]));
        Assert.Equal(chain[0], store.Info(chain[1])!.Parent);
        Assert.Equal(2, store.List().Count());
        Assert.Empty(Directory.EnumerateDirectories(store.Dir, ".tmp-*"));
    }

    [Fact]
    public void Unpacking_an_existing_layer_again_keeps_the_first()
    {
        var store = new SnapshotStore(_tmp.Path);
        var l1 = new TarBuilder().File("a", "1").Build();

        store.Unpack(new MemoryStream(l1), null);
        var again = store.Unpack(new MemoryStream(l1), null);

        Assert.False(again.Created);
        Assert.Empty(Directory.EnumerateDirectories(store.Dir, ".tmp-*"));
    }

    [Fact]
    public void Diff_id_mismatch_and_bad_layers_leave_nothing()
    {
        var store = new SnapshotStore(_tmp.Path);
        var l1 = new TarBuilder().File("a", "1").Build();

        Assert.Throws<ImageException>(() => store.Unpack(new MemoryStream(l1), null, Digest.Sha256("x"u8)));
        Assert.Throws<ImageException>(() => store.Unpack(new MemoryStream(l1[..700]), null));

        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Dir));
    }

    [Fact]
    public void Stale_temporaries_of_dead_processes_are_removed_and_remove_deletes()
    {
        var store = new SnapshotStore(_tmp.Path);
        var stale = Path.Combine(store.Dir, ".tmp-999999999-deadbeef");
        Directory.CreateDirectory(Path.Combine(stale, "fs"));

        var r = store.Unpack(new MemoryStream(new TarBuilder().File("a", "1").Build()), null);

        Assert.False(Directory.Exists(stale));
        store.Remove(r.ChainId);
        Assert.False(store.Exists(r.ChainId));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Dir));
    }
}
