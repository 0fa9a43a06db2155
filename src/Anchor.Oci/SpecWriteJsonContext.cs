using System.Text.Json.Serialization;
using Anchor.Oci.Runtime;

namespace Anchor.Oci;

/// <summary>
/// The runtime spec's writer only (config.json): serialization-mode source generation, which writes
/// without building property metadata (see Anchor.Engine's RecordWriteJsonContext for why). Same
/// options as <see cref="OciJsonContext"/>, which still reads it, less its Digest converter: a custom
/// converter in the options turns the direct writer off, and the spec holds no digest.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false,
    GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(Spec))]
public sealed partial class SpecWriteJsonContext : JsonSerializerContext;
