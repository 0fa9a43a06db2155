using System.Text.Json.Serialization;

namespace Anchor.Images;

/// <summary>
/// <c>root/images/images.json</c>: every image by ID, and tags (full normalised references) to IDs,
/// like docker's image/overlay2/repositories.json plus the imagedb index in one file.
/// </summary>
internal sealed class ImageStoreDocument
{
    [JsonPropertyName("images")]
    public Dictionary<string, ImageRecord> Images { get; set; } = new(StringComparer.Ordinal);

    [JsonPropertyName("tags")]
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);
}
