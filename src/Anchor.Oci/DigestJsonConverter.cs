using System.Text.Json;
using System.Text.Json.Serialization;

namespace Anchor.Oci;

/// <summary>Digests travel as their string form in every OCI and docker document.</summary>
public sealed class DigestJsonConverter : JsonConverter<Digest>
{
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var s = reader.GetString();
        if (!Digest.TryParse(s, out var digest))
        {
            throw new JsonException($"invalid digest \"{s}\"");
        }

        return digest;
    }

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
