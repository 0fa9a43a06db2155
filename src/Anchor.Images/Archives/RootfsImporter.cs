using System.Runtime.InteropServices;
using Anchor.Images.Content;
using Anchor.Images.Layers;
using Anchor.Oci;
using Anchor.Oci.Image;
using Anchor.Oci.Reference;

namespace Anchor.Images.Archives;

/// <summary>
/// docker import: a root filesystem tarball (plain, gzip or zstd) becomes a one-layer image. The
/// tarball is stored as given as the layer blob, unpacked into its snapshot, and described by a
/// fresh OCI manifest and config. As docker's daemon (daemon/images/image_import.go) the history entry
/// has no created_by and the comment is the message or "Imported from SOURCE"; docker's client
/// names a file or stdin "-" (cli/command/image/import.go), and anchor imports only those.
/// </summary>
public sealed class RootfsImporter(ImageStore store)
{
    public const string DefaultComment = "Imported from -";

    /// <param name="tarball">The rootfs archive, e.g. a file or stdin.</param>
    /// <param name="tag">The name to give the image; null leaves it dangling (&lt;none&gt;).</param>
    /// <param name="config">Cmd/Env/WorkingDir/Entrypoint/User from --change, if any.</param>
    /// <param name="message">The history comment (docker import --message).</param>
    public StoredImage Import(Stream tarball, ImageReference? tag = null, ContainerConfig? config = null, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(tarball);
        using var lease = store.BeginWrite();
        var staged = store.Content.Stage(tarball);
        Snapshots.UnpackResult unpacked = default;
        try
        {
            using (var layer = File.OpenRead(staged.Path))
            {
                unpacked = store.Snapshots.Unpack(layer, parentChainId: null);
            }

            var descriptor = new Descriptor { MediaType = MediaTypeOf(staged), Digest = staged.Digest, Size = staged.Size };
            store.Content.Commit(staged);
            var now = DateTimeOffset.UtcNow;
            var imageConfig = new ImageConfig
            {
                Created = now,
                Architecture = Architecture(),
                Os = "linux",
                Config = config,
                RootFs = new RootFs { DiffIds = [unpacked.DiffId] },
                History = [new History { Created = now, Comment = string.IsNullOrEmpty(message) ? DefaultComment : message }],
            };
            var manifest = new ImageManifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = default, Size = 0 },
                Layers = [descriptor],
            };
            return store.Commit(manifest, imageConfig, tag is null ? [] : [tag]);
        }
        catch
        {
            ContentStore.Discard(staged);
            if (unpacked.Created)
            {
                store.Snapshots.Remove(unpacked.ChainId);
            }

            throw;
        }
    }

    private static string MediaTypeOf(StagedBlob staged)
    {
        using var head = File.OpenRead(staged.Path);
        var magic = new byte[4];
        return Decompressor.Detect(magic.AsSpan(0, head.ReadAtLeast(magic, 4, throwOnEndOfStream: false))) switch
        {
            Compression.Gzip => MediaTypes.OciLayerGzip,
            Compression.Zstd => MediaTypes.OciLayerZstd,
            _ => MediaTypes.OciLayer,
        };
    }

    /// <summary>GOARCH names, as image configs spell them (config.md "architecture").</summary>
    private static string Architecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        _ => "amd64",
    };
}
