using System.Text.Json.Serialization;

namespace Anchor.Engine.Runtimes;

/// <summary>Source-generated JSON for <see cref="RuntimeConfig"/> (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(RuntimeConfig))]
public sealed partial class RuntimeConfigJsonContext : JsonSerializerContext;
