using System.Text.Json.Serialization;

namespace Anchor.Build.Cache;

/// <summary>Source-generated JSON for the builder's own strings (NativeAOT: no reflection).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class BuildJsonContext : JsonSerializerContext;
