using System.Text.Json.Serialization;
using Anchor.Oci.Image;
using Anchor.Oci.Runtime;

namespace Anchor.Oci;

/// <summary>Source-generated JSON for every OCI document (no reflection: NativeAOT).</summary>
[JsonSourceGenerationOptions(
    Converters = [typeof(DigestJsonConverter)],
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false)]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(Descriptor))]
[JsonSerializable(typeof(ContainerConfig))]
[JsonSerializable(typeof(Spec))]
[JsonSerializable(typeof(SpecProcess))]
[JsonSerializable(typeof(SpecSeccomp))]
public sealed partial class OciJsonContext : JsonSerializerContext;
