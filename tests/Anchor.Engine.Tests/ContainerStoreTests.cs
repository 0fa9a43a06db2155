using Anchor.Engine.Containers;

namespace Anchor.Engine.Tests;

/// <summary>The name index against the records: uniqueness, rename, removal, stale entries, stores that predate it.</summary>
public sealed class ContainerStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "anchor-store-" + Guid.NewGuid().ToString("N"));
    private readonly ContainerStore _store;

    public ContainerStoreTests()
    {
        _store = new ContainerStore(new AnchorPaths(Path.Combine(_dir, "root"), Path.Combine(_dir, "run")));
    }

    private static ContainerRecord Record(string name) => TestRecords.Named(name);

    [Fact]
    public void Create_TakenName_Conflicts_FreeAgainAfterDelete()
    {
        var web = _store.Create(Record("web"));
        var e = Assert.Throws<EngineException>(() => _store.Create(Record("web")));
        Assert.Contains("is already in use by container \"" + web.Id, e.Message, StringComparison.Ordinal);

        _store.Delete(web.Id, reap: false);
        var again = _store.Create(Record("web"));
        Assert.Equal(again.Id, _store.Find("web").Id);
    }

    [Fact]
    public void Rename_MovesTheName()
    {
        var a = _store.Create(Record("first"));
        _store.Rename(a.Id, "second");
        Assert.Equal(a.Id, _store.Find("second").Id);
        Assert.Throws<EngineException>(() => _store.Find("first"));
        Assert.Equal("first", _store.Create(Record("first")).Name);
    }

    [Fact]
    public void Find_ByFullIdPrefixAndName()
    {
        var one = _store.Create(Record("one"));
        Assert.Equal(one.Id, _store.Find(one.Id).Id);
        Assert.Equal(one.Id, _store.Find(one.Id[..10]).Id);
        Assert.Equal(one.Id, _store.Find("/one").Id);
        Assert.Equal("No such container: nope", Assert.Throws<EngineException>(() => _store.Find("nope")).Message);
    }

    [Fact]
    public void StaleIndexEntry_DoesNotHoldTheName()
    {
        // A crash between claiming the name and writing the record leaves an entry for nothing.
        Directory.CreateDirectory(Path.Combine(_dir, "root", "container-names"));
        File.WriteAllText(Path.Combine(_dir, "root", "container-names", "ghost"), new string('f', 64));
        Assert.Equal("ghost", _store.Create(Record("ghost")).Name);
    }

    [Fact]
    public void StoreWithoutIndex_IsIndexedFromItsRecords()
    {
        var old = _store.Create(Record("old"));
        Directory.Delete(Path.Combine(_dir, "root", "container-names"), recursive: true);
        Assert.Throws<EngineException>(() => _store.Create(Record("old")));
        Assert.Equal(old.Id, _store.Find("old").Id);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
