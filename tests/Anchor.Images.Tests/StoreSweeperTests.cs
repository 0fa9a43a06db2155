using System.Text.Json;
using Anchor.Images.Archives;
using Anchor.Linux;
using Anchor.Oci;
using Anchor.Oci.Image;
using Anchor.Oci.Reference;

namespace Anchor.Images.Tests;

/// <summary>
/// What killed commands leave is reclaimed: dead owners' temporaries by the next writer, and
/// content nothing refers to (blobs, snapshots, cache entries whose content is gone) by a writer
/// that ends while no other writer is alive; a live process's files and everything images and
/// the build cache refer to are kept.
/// </summary>
public sealed class StoreSweeperTests : IDisposable
{
    private const string DeadToken = "999999999-12345";
    private readonly TempDir _tmp = new();
    private readonly ImageStore _store;

    public StoreSweeperTests() => _store = new ImageStore(_tmp.Path);

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void OwnerOf_TellsLiveDeadAndUnknownOwners()
    {
        Assert.Equal(TempName.Owner.Alive, TempName.OwnerOf(TempName.New("blob")));
        Assert.Equal(TempName.Owner.Dead, TempName.OwnerOf($"{Environment.ProcessId}-1-blob-ab")); // our pid, another start: a reused pid
        Assert.Equal(TempName.Owner.Dead, TempName.OwnerOf(DeadToken + "-archive-ab"));
        Assert.Equal(TempName.Owner.Dead, TempName.OwnerOf("999999999-deadbeef")); // an older pid-only name
        Assert.Equal(TempName.Owner.Alive, TempName.OwnerOf("1-deadbeef"));
        Assert.Equal(TempName.Owner.Unknown, TempName.OwnerOf("archive-0123abcd"));
    }

    [Fact]
    public void Lease_WhileAnotherWriterLives_RemovesOnlyDeadOwnersTemporaries()
    {
        var (orphanBlob, orphanSnapshot) = Orphans();
        var files = Temporaries();
        using (FileLock.Shared(Path.Combine(_tmp.Path, "images", "writers.lock")))
        {
            using (_store.BeginWrite())
            {
            }
        }

        Assert.All(files.Dead, f => Assert.False(Path.Exists(f), f));
        Assert.All(files.Kept, f => Assert.True(Path.Exists(f), f));
        Assert.True(Path.Exists(files.Unknown));
        Assert.True(_store.Content.Exists(orphanBlob));
        Assert.True(_store.Snapshots.Exists(orphanSnapshot));
    }

    [Fact]
    public void Lease_OfTheLastWriter_CollectsWhatNothingRefersTo()
    {
        var image = new RootfsImporter(_store).Import(new MemoryStream(new TarBuilder().File("bin/sh", "elf").Build()), ImageReference.Parse("kept:1"));
        var (stepConfig, stepLayer, stepChain) = CachedStep(image, "k");
        _store.BuildCache.Put("gone", Digest.Sha256("no such config"u8).ToString());
        var (orphanBlob, orphanSnapshot) = Orphans();
        var files = Temporaries();

        using (_store.BeginWrite())
        {
        }

        var again = _store.Get("kept:1");
        Assert.All(again.Manifest.Layers.Select(l => l.Digest).Append(again.Id).Append(again.ManifestDigest), d => Assert.True(_store.Content.Exists(d), d.ToString()));
        Assert.All(again.ChainIds, c => Assert.True(_store.Snapshots.Exists(c)));
        Assert.Equal(stepConfig.ToString(), _store.BuildCache.Find("k"));
        Assert.True(_store.Content.Exists(stepConfig));
        Assert.True(_store.Content.Exists(stepLayer));
        Assert.True(_store.Snapshots.Exists(stepChain));

        Assert.Null(_store.BuildCache.Find("gone"));
        Assert.False(_store.Content.Exists(orphanBlob));
        Assert.False(_store.Snapshots.Exists(orphanSnapshot));
        Assert.False(Directory.Exists(Path.Combine(_store.Snapshots.Dir, orphanSnapshot.Encoded)));
        Assert.All(files.Dead, f => Assert.False(Path.Exists(f), f));
        Assert.All(files.Kept, f => Assert.True(Path.Exists(f), f));
        Assert.False(Path.Exists(files.Unknown));
        Assert.Equal(
            new[] { stepConfig, stepLayer, again.Id, again.ManifestDigest }.Concat(again.Manifest.Layers.Select(l => l.Digest)).Select(d => d.ToString()).Distinct().Order(StringComparer.Ordinal),
            _store.Content.List().Select(d => d.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Lease_CacheEntryWhoseSnapshotIsGone_IsDroppedWithItsContent()
    {
        var image = new RootfsImporter(_store).Import(new MemoryStream(new TarBuilder().File("a", "1").Build()), ImageReference.Parse("base:1"));
        var (stepConfig, stepLayer, stepChain) = CachedStep(image, "k");
        _store.Snapshots.Remove(stepChain);

        using (_store.BeginWrite())
        {
        }

        Assert.Null(_store.BuildCache.Find("k"));
        Assert.False(_store.Content.Exists(stepConfig));
        Assert.False(_store.Content.Exists(stepLayer));
        Assert.NotNull(_store.Find("base:1"));
    }

    [Fact]
    public void Lease_WithAnUnreadableImagesJson_DeletesNothing()
    {
        new RootfsImporter(_store).Import(new MemoryStream(new TarBuilder().File("a", "1").Build()), ImageReference.Parse("x:1"));
        var (orphanBlob, orphanSnapshot) = Orphans();
        File.WriteAllText(Path.Combine(_tmp.Path, "images", "images.json"), "{ not json");

        using (_store.BeginWrite())
        {
        }

        Assert.True(_store.Content.Exists(orphanBlob));
        Assert.True(_store.Snapshots.Exists(orphanSnapshot));
    }

    /// <summary>A blob and a snapshot no image or cache entry refers to, as a killed writer leaves them.</summary>
    private (Digest Blob, Digest Snapshot) Orphans()
    {
        var blob = _store.Content.WriteBytes("orphan"u8);
        var snapshot = _store.Snapshots.Unpack(new MemoryStream(new TarBuilder().File("orphan", "o").Build()), null).ChainId;
        return (blob, snapshot);
    }

    /// <summary>A build step on top of <paramref name="image"/> recorded in the cache: its config blob, layer blob and snapshot.</summary>
    private (Digest Config, Digest Layer, Digest Chain) CachedStep(StoredImage image, string key)
    {
        var tar = new TarBuilder().File("step", "s").Build();
        var layer = _store.Content.Write(new MemoryStream(tar));
        var chain = _store.Snapshots.Unpack(new MemoryStream(tar), image.ChainIds[^1]).ChainId;
        var config = image.Config with { RootFs = new RootFs { DiffIds = [.. image.Config.RootFs.DiffIds, layer] } };
        var id = _store.Content.WriteBytes(JsonSerializer.SerializeToUtf8Bytes(config, OciJsonContext.Default.ImageConfig));
        _store.BuildCache.Put(key, id.ToString());
        return (id, layer, chain);
    }

    /// <summary>Temporaries of a dead owner, of this (live) process, and one without an owner.</summary>
    private (List<string> Dead, List<string> Kept, string Unknown) Temporaries()
    {
        var ingest = Path.Combine(_tmp.Path, "ingest");
        var tmp = Path.Combine(_tmp.Path, "tmp");
        Directory.CreateDirectory(ingest);
        Directory.CreateDirectory(tmp);
        var dead = new List<string>
        {
            Path.Combine(ingest, DeadToken + "-blob-0a"),
            Path.Combine(ingest, DeadToken + "-archive-0b"),
            Path.Combine(tmp, DeadToken + "-layer-0c"),
            Path.Combine(_store.Snapshots.Dir, ".tmp-" + DeadToken + "-unpack-0d"),
            Path.Combine(_store.Snapshots.Dir, ".tmp-999999999-deadbeef"),
            Path.Combine(_tmp.Path, "images", ".images.json.999999999.1.tmp"),
            Path.Combine(_tmp.Path, "build-cache", ".index.json.999999999.1.tmp"),
        };
        var kept = new List<string>
        {
            Path.Combine(ingest, TempName.New("blob")),
            Path.Combine(tmp, TempName.New("layer")),
            Path.Combine(_store.Snapshots.Dir, ".tmp-" + TempName.New("unpack")),
            Path.Combine(_tmp.Path, "images", $".images.json.{Environment.ProcessId}.1.tmp"),
        };
        foreach (var path in dead.Concat(kept))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (path.Contains("archive", StringComparison.Ordinal) || path.Contains(".tmp-", StringComparison.Ordinal))
            {
                Directory.CreateDirectory(Path.Combine(path, "fs"));
                File.WriteAllText(Path.Combine(path, "fs", "data"), "partial");
            }
            else
            {
                File.WriteAllText(path, "partial");
            }
        }

        var unknown = Path.Combine(ingest, "archive-0123abcd");
        Directory.CreateDirectory(unknown);
        return (dead, kept, unknown);
    }
}
