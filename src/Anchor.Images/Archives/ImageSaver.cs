using System.Formats.Tar;
using System.Text.Json;
using Anchor.Images.Layers;
using Anchor.Oci;
using Anchor.Oci.Image;
using Anchor.Oci.Reference;

namespace Anchor.Images.Archives;

/// <summary>
/// docker save. The docker-archive format (moby image/tarexport): <c>manifest.json</c>
/// (Config, RepoTags, Layers per image), <c>repositories</c> (repo → tag → top layer), the configs
/// and the layers as uncompressed tars under <c>blobs/sha256/</c>, named by DiffID as docker 25
/// does. The OCI archive is an image layout (OCI image spec, image-layout.md): <c>oci-layout</c>,
/// <c>index.json</c> with each tag in the containerd and OCI name annotations, and the blobs as stored.
/// </summary>
public sealed class ImageSaver(ImageStore store)
{
    public void SaveDockerArchive(IReadOnlyList<(StoredImage Image, IReadOnlyList<ImageReference> Tags)> images, Stream output)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        Directories(tar);
        var written = new HashSet<Digest>();
        var entries = new List<DockerArchiveManifestEntry>();
        var repositories = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (image, tags) in images)
        {
            var configJson = store.Content.ReadAll(image.Id);
            if (written.Add(image.Id))
            {
                Bytes(tar, BlobName(image.Id), configJson);
            }

            var layers = new List<string>();
            var diffIds = image.Config.RootFs.DiffIds;
            for (var i = 0; i < image.Manifest.Layers.Count; i++)
            {
                layers.Add(BlobName(diffIds[i]));
                if (written.Add(diffIds[i]))
                {
                    UncompressedLayer(tar, image.Manifest.Layers[i].Digest, diffIds[i]);
                }
            }

            foreach (var tag in tags.Where(t => t.Tag is not null))
            {
                repositories.TryAdd(tag.FamiliarRepository, new SortedDictionary<string, string>(StringComparer.Ordinal));
                repositories[tag.FamiliarRepository][tag.Tag!] = diffIds.Count > 0 ? diffIds[^1].Encoded : "";
            }

            entries.Add(new DockerArchiveManifestEntry
            {
                Config = BlobName(image.Id),
                RepoTags = [.. tags.Where(t => t.Tag is not null).Select(t => t.FamiliarName)],
                Layers = layers,
            });
        }

        if (repositories.Count > 0)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var (repo, tags) in repositories)
                {
                    writer.WriteStartObject(repo);
                    foreach (var (tag, layer) in tags)
                    {
                        writer.WriteString(tag, layer);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            Bytes(tar, "repositories", buffer.ToArray());
        }

        Bytes(tar, "manifest.json", JsonSerializer.SerializeToUtf8Bytes(entries, ImagesJsonContext.Default.ListDockerArchiveManifestEntry));
    }

    public void SaveOciArchive(IReadOnlyList<(StoredImage Image, IReadOnlyList<ImageReference> Tags)> images, Stream output)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        Bytes(tar, "oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray());
        Directories(tar);
        var written = new HashSet<Digest>();
        var manifests = new List<Descriptor>();
        foreach (var (image, tags) in images)
        {
            foreach (var blob in image.Manifest.Layers.Select(l => l.Digest).Append(image.Id).Append(image.ManifestDigest))
            {
                if (written.Add(blob))
                {
                    using var content = store.Content.Open(blob);
                    Stream(tar, BlobName(blob), content);
                }
            }

            var descriptor = new Descriptor
            {
                MediaType = image.Manifest.MediaType ?? MediaTypes.OciManifest,
                Digest = image.ManifestDigest,
                Size = store.Content.Size(image.ManifestDigest),
            };
            var named = tags.Where(t => t.Tag is not null).ToList();
            manifests.AddRange(named.Count == 0
                ? [descriptor]
                : named.Select(t => descriptor with
                {
                    Annotations = new Dictionary<string, string>
                    {
                        ["io.containerd.image.name"] = t.ToString(),
                        ["org.opencontainers.image.ref.name"] = t.Tag!,
                    },
                }));
        }

        var index = new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = manifests };
        Bytes(tar, "index.json", JsonSerializer.SerializeToUtf8Bytes(index, OciJsonContext.Default.ImageIndex));
    }

    /// <summary>A layer as the plain tar its DiffID names: stored blobs may be gzip or zstd.</summary>
    private void UncompressedLayer(TarWriter tar, Digest blob, Digest diffId)
    {
        using var raw = store.Content.Open(blob);
        using var plain = Decompressor.Open(raw, out var compression);
        if (compression == Compression.None)
        {
            // The blob is the tar itself; a seekable file tells the tar writer its size.
            using var file = store.Content.Open(blob);
            Stream(tar, BlobName(diffId), file);
            return;
        }

        // A tar entry needs its size up front: spool the uncompressed layer first.
        Directory.CreateDirectory(store.Content.IngestDir);
        var tmp = Path.Combine(store.Content.IngestDir, TempName.New("save"));
        try
        {
            using var spool = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            plain.CopyTo(spool, 1 << 17);
            spool.Position = 0;
            Stream(tar, BlobName(diffId), spool);
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    private static void Directories(TarWriter tar)
    {
        foreach (var dir in (string[])["blobs/", "blobs/sha256/"])
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, dir) { Mode = (UnixFileMode)0x1ED, ModificationTime = DateTimeOffset.UnixEpoch }); // 0755
        }
    }

    private static void Bytes(TarWriter tar, string name, byte[] data)
    {
        using var content = new MemoryStream(data, writable: false);
        Stream(tar, name, content);
    }

    private static void Stream(TarWriter tar, string name, Stream content)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = (UnixFileMode)0x1A4, // 0644
            ModificationTime = DateTimeOffset.UnixEpoch,
            DataStream = content,
        };
        tar.WriteEntry(entry);
    }

    private static string BlobName(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Encoded}";
}
