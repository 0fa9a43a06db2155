using System.Text.Json;
using System.Text.Json.Serialization;

namespace Anchor.Engine.Security;

/// <summary>minKernel is a JSON string "major.minor" (moby/profiles KernelVersion.UnmarshalJSON).</summary>
public sealed class KernelVersionJsonConverter : JsonConverter<KernelVersion?>
{
    public override bool HandleNull => true;

    public override KernelVersion? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new SeccompProfileException($"invalid kernel version: {TokenText(ref reader)}, expected \"<kernel>.<major>\"");
        }

        try
        {
            return KernelVersion.Parse(reader.GetString()!);
        }
        catch (FormatException e)
        {
            throw new SeccompProfileException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, KernelVersion? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v)
        {
            writer.WriteStringValue(v.ToString());
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static string TokenText(ref Utf8JsonReader reader) =>
        reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray
            ? reader.TokenType == JsonTokenType.StartObject ? "{" : "["
            : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
}
