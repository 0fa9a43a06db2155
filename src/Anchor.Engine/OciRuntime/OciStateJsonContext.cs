using System.Text.Json.Serialization;

namespace Anchor.Engine.OciRuntime;

/// <summary>Source-generated JSON for the OCI runtime's own files (no reflection: NativeAOT).</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(OciContainerState))]
public sealed partial class OciStateJsonContext : JsonSerializerContext;
