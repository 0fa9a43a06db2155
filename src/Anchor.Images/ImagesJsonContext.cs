using System.Text.Json.Serialization;
using Anchor.Images.Archives;
using Anchor.Images.Snapshots;
using Anchor.Oci;

namespace Anchor.Images;

/// <summary>Source-generated JSON for Anchor.Images' own documents (OCI documents use OciJsonContext).</summary>
[JsonSourceGenerationOptions(
    Converters = [typeof(DigestJsonConverter)],
    WriteIndented = false)]
[JsonSerializable(typeof(SnapshotInfo))]
[JsonSerializable(typeof(ImageStoreDocument))]
[JsonSerializable(typeof(List<DockerArchiveManifestEntry>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ImagesJsonContext : JsonSerializerContext;
