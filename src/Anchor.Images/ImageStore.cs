using System.Text.Json;
using Anchor.Images.Cache;
using Anchor.Images.Content;
using Anchor.Images.Snapshots;
using Anchor.Linux;
using Anchor.Oci;
using Anchor.Oci.Image;
using Anchor.Oci.Reference;

namespace Anchor.Images;

/// <summary>
/// Images and tags under <c>root/images/images.json</c>, their manifests and configs in the
/// <see cref="ContentStore"/>, their layers in the <see cref="SnapshotStore"/>. Changes happen under
/// an exclusive flock on <c>root/images/lock</c> and are written with write+fsync+rename, so
/// concurrent anchor processes never lose an update and readers never see a torn file.
/// </summary>
public sealed class ImageStore
{
    private readonly string _file;
    private readonly string _lock;

    public ImageStore(string root)
    {
        Root = root;
        Content = new ContentStore(root);
        Snapshots = new SnapshotStore(root);
        BuildCache = new CacheIndex(root);
        ImagesDir = Path.Combine(root, "images");
        _file = Path.Combine(ImagesDir, "images.json");
        _lock = Path.Combine(ImagesDir, "lock");
    }

    public string Root { get; }

    public ContentStore Content { get; }

    public SnapshotStore Snapshots { get; }

    /// <summary>The build cache: its entries keep step configs and their layers alive.</summary>
    public CacheIndex BuildCache { get; }

    /// <summary><c>ROOT/tmp</c>: scratch files of commands (layers being written), on the blobs' file system.</summary>
    public string TempDir => Path.Combine(Root, "tmp");

    internal string ImagesDir { get; }

    /// <summary>
    /// Starts adding content (blobs, snapshots) to the store: hold the lease until the image or
    /// cache entries that refer to it are recorded (<see cref="WriterLease"/>).
    /// </summary>
    public WriterLease BeginWrite() => new(this);

    /// <summary>A path in <see cref="TempDir"/> for a new scratch file, named after this process so that it is reclaimed if the process is killed.</summary>
    public string NewTempFile(string kind)
    {
        PrivateDirectory.Create(TempDir);
        return Path.Combine(TempDir, TempName.New(kind));
    }

    /// <summary>
    /// Records an image whose layers are already unpacked as snapshots. The manifest and config are
    /// stored byte for byte (their digests are the manifest digest and the image ID). Tags move here
    /// from any image that had them.
    /// </summary>
    public StoredImage Commit(ReadOnlySpan<byte> manifestJson, ReadOnlySpan<byte> configJson, IEnumerable<ImageReference>? tags = null) =>
        Commit(manifestJson, configJson, tags, null);

    /// <summary>As above, also recording <paramref name="repoDigest"/> (repository@digest from a registry).</summary>
    public StoredImage Commit(ReadOnlySpan<byte> manifestJson, ReadOnlySpan<byte> configJson, IEnumerable<ImageReference>? tags, string? repoDigest)
    {
        var config = ParseConfig(configJson);
        var manifest = ParseManifest(manifestJson);
        var id = Digest.Sha256(configJson);
        if (manifest.Config.Digest != id)
        {
            throw new ImageException($"manifest config digest {manifest.Config.Digest} does not match the config ({id})");
        }

        foreach (var chainId in ChainId.Compute(config.RootFs.DiffIds))
        {
            if (!Snapshots.Exists(chainId))
            {
                throw new ImageException($"layer {chainId} is not unpacked");
            }
        }

        // The record's manifest is what save and push read: every blob it names must be here
        // (a pull that found the layers unpacked from other blobs fetches its own).
        foreach (var layer in manifest.Layers)
        {
            if (!Content.Exists(layer.Digest))
            {
                throw new ImageException($"blob {layer.Digest} not found", ImageErrorKind.NotFound);
            }
        }

        Content.WriteBytes(configJson);
        var manifestDigest = Content.WriteBytes(manifestJson);
        Update(doc =>
        {
            var previous = doc.Images.GetValueOrDefault(id.ToString());
            var digests = previous?.RepoDigests ?? [];
            if (repoDigest is not null && !digests.Contains(repoDigest))
            {
                digests = [.. digests.Where(d => !SameRepository(d, repoDigest)), repoDigest];
            }

            doc.Images[id.ToString()] = new ImageRecord
            {
                Manifest = manifestDigest,
                Added = previous?.Added ?? DateTimeOffset.UtcNow,
                RepoDigests = digests.Count > 0 ? digests : null,
            };
            foreach (var tag in tags ?? [])
            {
                doc.Tags[CheckTag(tag).ToString()] = id.ToString();
            }
        });
        return Get(id);
    }

    /// <summary>Serialises <paramref name="config"/>, points the manifest's config descriptor at it, and commits both.</summary>
    public StoredImage Commit(ImageManifest manifest, ImageConfig config, IEnumerable<ImageReference>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var configJson = JsonSerializer.SerializeToUtf8Bytes(config, OciJsonContext.Default.ImageConfig);
        var withConfig = manifest with
        {
            Config = new Descriptor { MediaType = manifest.Config.MediaType, Digest = Digest.Sha256(configJson), Size = configJson.Length },
        };
        var manifestJson = JsonSerializer.SerializeToUtf8Bytes(withConfig, OciJsonContext.Default.ImageManifest);
        return Commit(manifestJson, configJson, tags);
    }

    /// <summary>
    /// Finds by reference (busybox, busybox:latest, docker.io/library/busybox, busybox@sha256:…),
    /// by ID (sha256:…, full hex) or by a unique ID prefix of at least <see cref="ImageLookup.MinPrefix"/>
    /// hex characters. Null when nothing matches; <see cref="ImageException"/> when a prefix is ambiguous.
    /// </summary>
    /// <param name="lazy">Read the manifest, tags and size only when asked for (`run` needs only
    /// the config); otherwise the image is read whole now, as it is on disk at this moment.</param>
    public StoredImage? Find(string nameOrId, bool lazy = false)
    {
        var doc = Read();
        return ImageLookup.Resolve(doc, nameOrId) is { } id ? Load(doc, id, lazy) : null;
    }

    /// <summary>Like <see cref="Find"/>, but throws docker's "No such image: x".</summary>
    public StoredImage Get(string nameOrId) => Find(nameOrId) ?? throw new ImageNotFoundException(nameOrId);

    public StoredImage Get(Digest id) => Load(Read(), id.ToString()) ?? throw new ImageNotFoundException(id.ToString());

    public IReadOnlyList<StoredImage> List()
    {
        var doc = Read();
        return [.. doc.Images.Keys.Select(id => Load(doc, id)).OfType<StoredImage>().OrderByDescending(i => i.Created)];
    }

    /// <summary>Adds repository@digest to an image's RepoDigests (after a push).</summary>
    public void AddRepoDigest(StoredImage image, string repoDigest)
    {
        ArgumentNullException.ThrowIfNull(image);
        Update(doc =>
        {
            if (doc.Images.TryGetValue(image.Id.ToString(), out var record))
            {
                var digests = record.RepoDigests ?? [];
                doc.Images[image.Id.ToString()] = record with { RepoDigests = [.. digests.Where(d => !SameRepository(d, repoDigest)), repoDigest] };
            }
        });
    }

    /// <summary>Points <paramref name="reference"/> at the image; the image that had it before keeps its other tags or becomes dangling.</summary>
    public void Tag(StoredImage image, ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(image);
        var key = CheckTag(reference).ToString();
        Update(doc =>
        {
            if (!doc.Images.ContainsKey(image.Id.ToString()))
            {
                throw new ImageNotFoundException(image.Id.ToString());
            }

            doc.Tags[key] = image.Id.ToString();
        });
    }

    /// <summary>
    /// docker rmi. <paramref name="containerUsing"/> returns the ID of a container that uses an
    /// image, or null. Blobs and snapshots no remaining image needs are deleted.
    /// </summary>
    public RemoveResult Remove(string nameOrId, bool force, Func<Digest, string?> containerUsing)
    {
        ArgumentNullException.ThrowIfNull(containerUsing);
        using var held = LockImages();
        var doc = Read();
        var (result, delete) = ImageRemoval.Plan(doc, nameOrId, force, containerUsing);
        if (delete is not { } id)
        {
            Save(doc);
            return result;
        }

        var doomed = Load(doc, id.ToString());
        doc.Images.Remove(id.ToString());
        Save(doc);
        var layers = doomed is null ? [] : new ImageGarbageCollector(this).Collect(doc, doomed);
        return result with { Deleted = [id, .. layers] };
    }

    /// <summary>The layer directories for overlay's lowerdir, TOP layer FIRST (overlayfs wants the uppermost lower on the left).</summary>
    public IReadOnlyList<string> LayerPaths(StoredImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return [.. image.ChainIds.Reverse().Select(Snapshots.FsPath)];
    }

    internal ImageStoreDocument Read()
    {
        try
        {
            return ImageStoreDocumentReader.Read(File.ReadAllBytes(_file));
        }
        catch (FileNotFoundException)
        {
            return new ImageStoreDocument();
        }
        catch (DirectoryNotFoundException)
        {
            return new ImageStoreDocument();
        }
    }

    internal ImageManifest? ManifestOf(Digest digest) =>
        Content.Exists(digest) ? ParseManifest(Content.ReadAll(digest)) : null;

    internal StoredImage? Load(ImageStoreDocument doc, string id, bool lazy = false)
    {
        if (!doc.Images.TryGetValue(id, out var record) || !Digest.TryParse(id, out var digest) || !Content.Exists(digest))
        {
            return null;
        }

        var config = ParseConfig(Content.ReadAll(digest));
        var chainIds = ChainId.Compute(config.RootFs.DiffIds);
        var manifestDigest = record.Manifest;
        var tags = doc.Tags.Where(t => t.Value == id).Select(t => t.Key).ToList();
        var image = StoredImage.Deferred(
            digest,
            manifestDigest,
            config,
            chainIds,
            record.RepoDigests ?? [],
            () => ManifestOf(manifestDigest) ?? throw new ImageException($"manifest {manifestDigest} of image {digest.Short} is missing"),
            () => [.. tags.Select(ImageReference.Parse).OrderBy(r => r.ToString(), StringComparer.Ordinal)],
            () => chainIds.Sum(c => Snapshots.Info(c)?.Size ?? 0));
        if (!lazy)
        {
            _ = image.Manifest;
            _ = image.References;
            _ = image.Size;
        }

        return image;
    }

    private void Update(Action<ImageStoreDocument> change)
    {
        using var held = LockImages();
        var doc = Read();
        change(doc);
        Save(doc);
    }

    internal void Save(ImageStoreDocument doc) =>
        AtomicFile.WriteAllBytes(_file, JsonSerializer.SerializeToUtf8Bytes(doc, ImagesJsonContext.Default.ImageStoreDocument));

    /// <summary>The lock that serialises changes of images.json (and the collection of what it no longer refers to).</summary>
    internal FileLock LockImages() => FileLock.Exclusive(LockPath());

    internal string WritersLockPath()
    {
        PrivateDirectory.Create(ImagesDir);
        return Path.Combine(ImagesDir, "writers.lock");
    }

    private string LockPath()
    {
        PrivateDirectory.Create(ImagesDir);
        return _lock;
    }

    private static bool SameRepository(string a, string b) =>
        string.Equals(a.Split('@')[0], b.Split('@')[0], StringComparison.Ordinal);

    private static ImageReference CheckTag(ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Tag is null
            ? throw new ImageException($"refusing to create a tag with a digest reference: {reference.FamiliarName}")
            : reference with { Digest = null };
    }

    internal static ImageConfig ParseConfig(ReadOnlySpan<byte> json)
    {
        try
        {
            return ImageConfigReader.Read(json);
        }
        catch (JsonException e)
        {
            throw new ImageException($"invalid image config: {e.Message}", e);
        }
    }

    internal static ImageManifest ParseManifest(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, OciJsonContext.Default.ImageManifest) ?? throw new ImageException("invalid image manifest: null");
        }
        catch (JsonException e)
        {
            throw new ImageException($"invalid image manifest: {e.Message}", e);
        }
    }
}
