using System.Text.Json;
using Anchor.Images.Layers;
using Anchor.Linux;
using Anchor.Oci;

namespace Anchor.Images.Snapshots;

/// <summary>
/// One directory per layer ChainID, <c>root/snapshots/&lt;hex&gt;/fs</c>, holding that layer's own
/// changes (overlay whiteouts included); an image's root filesystem is the overlay of its
/// snapshots. A layer is unpacked into <c>.tmp-</c> plus a name of its owner (<see cref="TempName"/>)
/// and renamed into place only when complete (containerd's snapshotter Prepare/Commit), so a crash
/// never leaves a half-unpacked snapshot under its final name; the temporaries of dead owners are
/// removed on the next unpack.
/// </summary>
public sealed class SnapshotStore
{
    private const string TempPrefix = ".tmp-";

    public SnapshotStore(string root) => Dir = Path.Combine(root, "snapshots");

    public string Dir { get; }

    public bool Exists(Digest chainId) => File.Exists(InfoPath(chainId));

    /// <summary>The unpacked filesystem of the layer, an overlay lowerdir.</summary>
    public string FsPath(Digest chainId) => Path.Combine(SnapshotDir(chainId), "fs");

    public SnapshotInfo? Info(Digest chainId)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(InfoPath(chainId)), ImagesJsonContext.Default.SnapshotInfo);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    public IEnumerable<Digest> List()
    {
        if (!Directory.Exists(Dir))
        {
            yield break;
        }

        foreach (var dir in Directory.EnumerateDirectories(Dir))
        {
            if (Digest.TryParse("sha256:" + Path.GetFileName(dir), out var chainId) && Exists(chainId))
            {
                yield return chainId;
            }
        }
    }

    /// <summary>
    /// Unpacks a layer (plain, gzip or zstd) on top of <paramref name="parentChainId"/>. When
    /// <paramref name="expectedDiffId"/> is given and the layer's DiffID differs, nothing is kept
    /// and an <see cref="ImageException"/> is thrown.
    /// </summary>
    public UnpackResult Unpack(Stream layer, Digest? parentChainId, Digest? expectedDiffId = null)
    {
        PrivateDirectory.Create(Dir);
        RemoveStaleTemporaries();
        var tmp = Path.Combine(Dir, TempPrefix + TempName.New("unpack"));
        Directory.CreateDirectory(tmp);
        try
        {
            var applied = LayerApplier.Apply(layer, Path.Combine(tmp, "fs"));
            if (expectedDiffId is { } expected && expected != applied.DiffId)
            {
                throw new ImageException($"layer diff ID mismatch: expected {expected}, got {applied.DiffId}");
            }

            var chainId = ChainIds.Next(parentChainId, applied.DiffId);
            var info = new SnapshotInfo { ChainId = chainId, DiffId = applied.DiffId, Parent = parentChainId, Size = applied.Size };
            AtomicFile.WriteAllBytes(Path.Combine(tmp, "info.json"), JsonSerializer.SerializeToUtf8Bytes(info, ImagesJsonContext.Default.SnapshotInfo));
            var created = Commit(tmp, SnapshotDir(chainId));
            return new UnpackResult(chainId, applied.DiffId, applied.Size, created);
        }
        finally
        {
            if (Directory.Exists(tmp))
            {
                Directory.Delete(tmp, recursive: true);
            }
        }
    }

    /// <summary>Renames the snapshot away first, so a crash mid-delete leaves only a temporary behind.</summary>
    public void Remove(Digest chainId)
    {
        var dir = SnapshotDir(chainId);
        if (!Directory.Exists(dir))
        {
            return;
        }

        var doomed = Path.Combine(Dir, TempPrefix + TempName.New("rm"));
        try
        {
            Directory.Move(dir, doomed);
        }
        catch (DirectoryNotFoundException)
        {
            return; // Removed concurrently.
        }

        Directory.Delete(doomed, recursive: true);
    }

    private static bool Commit(string tmp, string final)
    {
        if (Directory.Exists(final))
        {
            return false;
        }

        try
        {
            Directory.Move(tmp, final);
        }
        catch (IOException) when (Directory.Exists(final))
        {
            return false; // Another process unpacked the same layer first: same content.
        }

        AtomicFile.FsyncDirectory(Path.GetDirectoryName(final)!);
        return true;
    }

    /// <summary>Deletes the temporaries of dead owners; with <paramref name="unlessAlive"/>, every one no live process owns.</summary>
    internal void RemoveStaleTemporaries(bool unlessAlive = false)
    {
        if (!Directory.Exists(Dir))
        {
            return;
        }

        foreach (var dir in Directory.EnumerateDirectories(Dir, TempPrefix + "*"))
        {
            if (TempName.IsReclaimable(Path.GetFileName(dir)[TempPrefix.Length..], unlessAlive))
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (DirectoryNotFoundException)
                {
                }
            }
        }
    }

    /// <summary>Every snapshot directory named by a ChainID, complete or not (the collector's view).</summary>
    internal IEnumerable<Digest> ListDirectories()
    {
        if (!Directory.Exists(Dir))
        {
            yield break;
        }

        foreach (var dir in Directory.EnumerateDirectories(Dir))
        {
            if (Digest.TryParse("sha256:" + Path.GetFileName(dir), out var chainId))
            {
                yield return chainId;
            }
        }
    }

    private string SnapshotDir(Digest chainId) => Path.Combine(Dir, chainId.Encoded);

    private string InfoPath(Digest chainId) => Path.Combine(SnapshotDir(chainId), "info.json");
}
