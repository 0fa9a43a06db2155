using System.Text.Json;
using Anchor.Oci;

namespace Anchor.Images;

/// <summary>
/// Reads images.json from a <see cref="JsonDocument"/> rather than through
/// <see cref="ImagesJsonContext"/>'s metadata, for the reason <see cref="Oci.Image.ImageConfigReader"/>
/// gives: it is the first document every `anchor run` reads. Writing still goes through the context;
/// a unit test checks that both read the same.
/// </summary>
internal static class ImageStoreDocumentReader
{
    public static ImageStoreDocument Read(byte[] json)
    {
        try
        {
            return ReadDocument(json);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A member of the wrong kind: the same exception type the deserializer throws.
            throw new JsonException($"invalid images.json: {e.Message}", e);
        }
    }

    private static ImageStoreDocument ReadDocument(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var result = new ImageStoreDocument();
        if (root.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        foreach (var member in Object(root).EnumerateObject())
        {
            if (member.Name == "images" && member.Value.ValueKind != JsonValueKind.Null)
            {
                foreach (var image in Object(member.Value).EnumerateObject())
                {
                    result.Images[image.Name] = Record(image.Value);
                }
            }
            else if (member.Name == "tags" && member.Value.ValueKind != JsonValueKind.Null)
            {
                foreach (var tag in Object(member.Value).EnumerateObject())
                {
                    result.Tags[tag.Name] = tag.Value.GetString() ?? throw new JsonException($"tag {tag.Name} points at null");
                }
            }
        }

        return result;
    }

    private static ImageRecord Record(JsonElement element)
    {
        Digest? manifest = null;
        var added = default(DateTimeOffset);
        List<string>? repoDigests = null;
        foreach (var member in Object(element).EnumerateObject())
        {
            switch (member.Name)
            {
                case "manifest":
                    var text = member.Value.GetString();
                    manifest = Digest.TryParse(text, out var digest) ? digest : throw new JsonException($"invalid digest \"{text}\"");
                    break;
                case "added":
                    added = member.Value.GetDateTimeOffset();
                    break;
                case "repoDigests" when member.Value.ValueKind != JsonValueKind.Null:
                    repoDigests = [.. member.Value.EnumerateArray().Select(d => d.GetString()!)];
                    break;
            }
        }

        return new ImageRecord
        {
            Manifest = manifest ?? throw new JsonException("an image record without its manifest"),
            Added = added,
            RepoDigests = repoDigests,
        };
    }

    private static JsonElement Object(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new JsonException($"expected an object, found {element.ValueKind}");
}
