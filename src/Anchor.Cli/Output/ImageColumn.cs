using Anchor.Engine.Containers;
using Anchor.Images;

namespace Anchor.Cli.Output;

/// <summary>
/// docker ps's IMAGE: the reference the container was created from while it still names the
/// container's image, its image ID otherwise (the tag was removed or moved: moby daemon/list.go),
/// 12 hex digits unless --no-trunc (docker/cli formatter/container.go Image).
/// </summary>
public sealed class ImageColumn(ImageStore images, bool truncate)
{
    private readonly Dictionary<string, string?> _resolved = new(StringComparer.Ordinal);

    public string Of(ContainerRecord c)
    {
        if (string.IsNullOrEmpty(c.ImageId))
        {
            return c.Image;
        }

        if (!_resolved.TryGetValue(c.Image, out var id))
        {
            id = Resolve(c.Image);
            _resolved[c.Image] = id;
        }

        var image = id == c.ImageId ? c.Image : c.ImageId;
        return truncate && TruncateId(image) == TruncateId(c.ImageId) ? TruncateId(c.ImageId) : image;
    }

    /// <summary>moby pkg/stringid.TruncateID: what follows the algorithm, 12 characters at most.</summary>
    private static string TruncateId(string id)
    {
        var hex = id[(id.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return hex.Length > 12 ? hex[..12] : hex;
    }

    private string? Resolve(string reference)
    {
        try
        {
            return images.Find(reference, lazy: true)?.Id.ToString();
        }
        catch (ImageException)
        {
            return null;
        }
    }
}
