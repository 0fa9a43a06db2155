using System.Text.Json.Serialization;

namespace Anchor.Build.Cache;

/// <summary>Source-generated JSON for the build cache index (NativeAOT: no reflection).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string))]
internal sealed partial class BuildJsonContext : JsonSerializerContext;
