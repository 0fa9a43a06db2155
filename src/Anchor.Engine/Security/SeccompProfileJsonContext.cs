using System.Text.Json.Serialization;

namespace Anchor.Engine.Security;

/// <summary>
/// Source-generated reader of docker's profile format. Go's encoding/json matches member names
/// without regard to case and ignores unknown members; so does this context.
/// </summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SeccompProfile))]
public sealed partial class SeccompProfileJsonContext : JsonSerializerContext;
