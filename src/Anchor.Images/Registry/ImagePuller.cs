using System.Text.Json;
using Anchor.Oci;
using Anchor.Oci.Image;
using Anchor.Images.Layers;
using Anchor.Oci.Reference;

namespace Anchor.Images.Registry;

/// <summary>
/// docker pull: resolve the reference to a manifest (through an index for the wanted platform),
/// fetch the config, then fetch and unpack the layers in parallel. Every blob goes through the
/// content store's ingest → verify → rename, and every unpacked layer is checked against the
/// config's DiffID before its snapshot is renamed into place; the image is recorded only when all
/// of that succeeded. A pull that fails or is killed therefore leaves complete, verified blobs and
/// snapshots and no image: a pull that follows reuses them instead of fetching again, and the
/// first writer that ends with no other alive collects whatever is still unused (<see cref="WriterLease"/>).
/// </summary>
public sealed class ImagePuller(ImageStore store, ClientConfig config)
{
    /// <summary>docker's default max-concurrent-downloads is 3; loopback registries gain a little from one more.</summary>
    public const int MaxParallel = 4;

    /// <summary>Bytes fetched of a layer so far (short digest, bytes, total), for a progress display.</summary>
    public Action<string, long, long>? Downloaded { get; init; }

    /// <summary>Credentials the caller was given for this pull (the API's X-Registry-Auth); null: the config's.</summary>
    public RegistryCredentials? Credentials { get; init; }

    public PullResult Pull(ImageReference reference, Platform? platform, Action<string, string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        platform ??= PlatformSelector.Default;
        using var lease = store.BeginWrite();
        var endpoint = RegistryEndpoint.Resolve(reference.Domain, config.InsecureRegistries);
        var client = new RegistryClient(endpoint, reference.Path, Credentials ?? config.Credentials(endpoint.AuthKey));
        var display = reference.FamiliarName;

        var top = client.GetManifest(reference.Digest?.ToString() ?? reference.Tag!, display);
        if (reference.Digest is { } wanted && wanted != top.Digest)
        {
            throw new ImageException($"manifest verification failed for digest {wanted}");
        }

        var manifest = top;
        if (MediaTypes.IsIndex(top.MediaType))
        {
            var index = Parse(top.Bytes, OciJsonContext.Default.ImageIndex, "index");
            var chosen = PlatformSelector.Select(index.Manifests, platform)
                ?? throw new ImageException($"no matching manifest for {PlatformSelector.Format(platform)} in the manifest list entries", ImageErrorKind.NotFound);
            manifest = client.GetManifest(chosen.Digest.ToString(), display);
            if (manifest.Digest != chosen.Digest)
            {
                throw new ImageException($"manifest verification failed for digest {chosen.Digest}");
            }
        }

        if (!MediaTypes.IsManifest(manifest.MediaType))
        {
            throw new ImageException($"unsupported manifest media type \"{manifest.MediaType}\" for {display}");
        }

        var image = Parse(manifest.Bytes, OciJsonContext.Default.ImageManifest, "manifest");
        progress?.Invoke(reference.Tag ?? reference.Digest.ToString()!, $"Pulling from {reference.Path}");
        var configJson = FetchConfig(client, image.Config);
        var imageConfig = ImageStore.ParseConfig(configJson);
        var diffIds = imageConfig.RootFs.DiffIds;
        if (diffIds.Count != image.Layers.Count)
        {
            throw new ImageException($"invalid image: the manifest lists {image.Layers.Count} layers, the config {diffIds.Count}");
        }

        var id = Digest.Sha256(configJson);
        var existing = store.Find(reference.ToString());
        var chainIds = ChainId.Compute(diffIds);
        FetchLayers(client, image.Layers, diffIds, chainIds, progress);

        var tags = reference.Tag is not null ? new[] { reference.WithTag(reference.Tag) } : [];
        var stored = store.Commit(manifest.Bytes, configJson, tags, $"{reference.Repository}@{top.Digest}");
        return new PullResult(stored, top.Digest, existing?.Id == id);
    }

    private byte[] FetchConfig(RegistryClient client, Descriptor descriptor)
    {
        if (store.Content.Exists(descriptor.Digest))
        {
            return store.Content.ReadAll(descriptor.Digest);
        }

        Download(client, descriptor);
        return store.Content.ReadAll(descriptor.Digest);
    }

    private void FetchLayers(RegistryClient client, IReadOnlyList<Descriptor> layers, IReadOnlyList<Digest> diffIds, IReadOnlyList<Digest> chainIds, Action<string, string>? progress)
    {
        var todo = new List<int>();
        var blobsOnly = new HashSet<int>();
        for (var i = 0; i < layers.Count; i++)
        {
            if (store.Snapshots.Exists(chainIds[i]))
            {
                progress?.Invoke(layers[i].Digest.Short, "Already exists");
                if (!store.Content.Exists(layers[i].Digest))
                {
                    // Unpacked from another blob of the same content (a loaded archive's plain tar):
                    // the image's manifest becomes this one, and save and push read its blobs.
                    todo.Add(i);
                    blobsOnly.Add(i);
                }
            }
            else
            {
                progress?.Invoke(layers[i].Digest.Short, "Pulling fs layer");
                todo.Add(i);
            }
        }

        var next = -1;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var workers = Enumerable.Range(0, Math.Min(MaxParallel, todo.Count)).Select(_ => new Thread(() =>
        {
            int k;
            while (failures.IsEmpty && (k = Interlocked.Increment(ref next)) < todo.Count)
            {
                var i = todo[k];
                try
                {
                    var parent = i == 0 ? null : (Digest?)chainIds[i - 1];
                    if (blobsOnly.Contains(i))
                    {
                        Download(client, layers[i]);
                        RequireDiffId(layers[i].Digest, diffIds[i]);
                        continue;
                    }

                    if (store.Content.Exists(layers[i].Digest) || !StreamLayer(client, layers[i], parent, diffIds[i], progress))
                    {
                        if (!store.Content.Exists(layers[i].Digest))
                        {
                            Download(client, layers[i]);
                            progress?.Invoke(layers[i].Digest.Short, "Download complete");
                        }

                        using var blob = store.Content.Open(layers[i].Digest);
                        store.Snapshots.Unpack(blob, parent, diffIds[i]);
                    }

                    progress?.Invoke(layers[i].Digest.Short, "Pull complete");
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                }
            }
        })
        {
            IsBackground = true,
            Name = "anchor-pull",
        }).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        if (failures.TryDequeue(out var first))
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }

    private Stream Counted(Stream body, Descriptor layer) =>
        Downloaded is { } report ? new CountingStream(body, n => report(layer.Digest.Short, n, layer.Size)) : body;

    /// <summary>
    /// The fast path: the blob is written to the ingest area and, through a pipe, unpacked on
    /// another thread at the same time, so download, sha256, decompression and file writes overlap.
    /// Both ends verify on their own: the blob against its digest before it is renamed into place,
    /// the snapshot against the config's DiffID before it is. False (nothing kept but what verified)
    /// when the transfer broke off: the caller falls back to download-then-unpack with retries.
    /// </summary>
    private bool StreamLayer(RegistryClient client, Descriptor layer, Digest? parent, Digest diffId, Action<string, string>? progress)
    {
        using var writeEnd = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        using var readEnd = new System.IO.Pipes.AnonymousPipeClientStream(System.IO.Pipes.PipeDirection.In, writeEnd.ClientSafePipeHandle);
        Exception? unpackError = null;
        var unpacker = new Thread(() =>
        {
            try
            {
                store.Snapshots.Unpack(readEnd, parent, diffId);
            }
            catch (Exception e)
            {
                unpackError = e;
            }
            finally
            {
                // Let the writer finish (and verify the blob) whatever the unpacker made of it.
                try
                {
                    readEnd.CopyTo(Stream.Null);
                }
                catch (IOException)
                {
                }
            }
        })
        {
            IsBackground = true,
            Name = "anchor-unpack",
        };
        unpacker.Start();
        try
        {
            try
            {
                using var response = client.GetBlob(layer.Digest);
                using var body = Counted(response.Content.ReadAsStream(), layer);
                store.Content.Write(body, layer.Digest, layer.Size, writeEnd);
            }
            finally
            {
                writeEnd.Dispose();
                unpacker.Join();
            }
        }
        catch (ImageException e) when (e is not RegistryException)
        {
            throw new ImageException($"filesystem layer verification failed for digest {layer.Digest}", e);
        }
        catch (Exception e) when (RegistryClient.IsTransient(e))
        {
            return false;
        }

        progress?.Invoke(layer.Digest.Short, "Download complete");
        if (unpackError is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(unpackError);
        }

        return true;
    }

    /// <summary>Fetches one blob into the content store, retrying transient failures; a digest mismatch is final.</summary>
    /// <summary>
    /// A blob fetched for a layer unpacked from another one must hold the same content (the
    /// config's DiffID), as an unpacked one is checked: else save would write it under that name.
    /// </summary>
    private void RequireDiffId(Digest blob, Digest diffId)
    {
        Digest actual;
        using (var raw = store.Content.Open(blob))
        using (var plain = Decompressor.Open(raw, out _))
        {
            actual = Digest.Sha256(plain);
        }

        if (actual != diffId)
        {
            store.Content.Delete(blob);
            throw new ImageException($"filesystem layer verification failed for digest {blob}: its content is {actual}, the image's layer {diffId}");
        }
    }

    private void Download(RegistryClient client, Descriptor descriptor)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = client.GetBlob(descriptor.Digest);
                using var body = Counted(response.Content.ReadAsStream(), descriptor);
                store.Content.Write(body, descriptor.Digest, descriptor.Size);
                return;
            }
            catch (ImageException e) when (e is not RegistryException)
            {
                throw new ImageException($"filesystem layer verification failed for digest {descriptor.Digest}", e);
            }
            catch (Exception e) when (attempt < RegistryClient.MaxAttempts && RegistryClient.IsTransient(e))
            {
                Thread.Sleep(RegistryClient.Backoff(attempt));
            }
            catch (Exception e) when (RegistryClient.IsTransient(e))
            {
                throw new RegistryException($"error pulling blob {descriptor.Digest}: {e.Message}", e);
            }
        }
    }

    private static T Parse<T>(byte[] json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new ImageException($"invalid {what}: null");
        }
        catch (JsonException e)
        {
            throw new ImageException($"invalid {what}: {e.Message}", e);
        }
    }
}
