using Anchor.Oci;
using Anchor.Oci.Reference;

namespace Anchor.Images;

/// <summary>
/// Turns what a user typed into an image ID, in docker's order (daemon/images GetImage): a full ID,
/// then a reference (tag or manifest digest), then a unique ID prefix.
/// </summary>
internal static class ImageLookup
{
    /// <summary>Shortest bare hex prefix accepted, so a short word is not silently taken for an ID.</summary>
    public const int MinPrefix = 3;

    private const string Sha256 = "sha256:";

    public static string? Resolve(ImageStoreDocument doc, string nameOrId)
    {
        if (string.IsNullOrEmpty(nameOrId))
        {
            return null;
        }

        if (nameOrId.StartsWith(Sha256, StringComparison.Ordinal))
        {
            var hex = nameOrId[Sha256.Length..];
            return IsHex(hex) && hex.Length > 0 ? ByPrefix(doc, hex) : null;
        }

        if (nameOrId.Length == 64 && IsHex(nameOrId))
        {
            return doc.Images.ContainsKey(Sha256 + nameOrId) ? Sha256 + nameOrId : null;
        }

        if (TagKey(doc, nameOrId) is { } key)
        {
            return doc.Tags[key];
        }

        if (ImageReference.TryParse(nameOrId, out var reference, out _) && reference.Digest is { } digest)
        {
            var repoDigest = $"{reference.Repository}@{digest}";
            return doc.Images.FirstOrDefault(kv => kv.Value.RepoDigests?.Contains(repoDigest) == true).Key
                ?? doc.Images.FirstOrDefault(kv => kv.Value.Manifest == digest).Key;
        }

        return nameOrId.Length >= MinPrefix && IsHex(nameOrId) ? ByPrefix(doc, nameOrId) : null;
    }

    /// <summary>The tag key when <paramref name="name"/> names an existing tag (busybox means docker.io/library/busybox:latest).</summary>
    public static string? TagKey(ImageStoreDocument doc, string name) =>
        ImageReference.TryParse(name, out var reference, out _) && reference.Digest is null && doc.Tags.ContainsKey(reference.ToString())
            ? reference.ToString()
            : null;

    private static string? ByPrefix(ImageStoreDocument doc, string hex)
    {
        var matches = doc.Images.Keys.Where(id => id.AsSpan(Sha256.Length).StartsWith(hex, StringComparison.Ordinal)).Take(2).ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw new ImageException($"ambiguous image ID prefix \"{hex}\": it matches more than one image", ImageErrorKind.Conflict),
        };
    }

    private static bool IsHex(string s) => s.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
