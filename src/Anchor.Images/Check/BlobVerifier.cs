using Anchor.Images.Content;
using Anchor.Oci;

namespace Anchor.Images.Check;

/// <summary>Hashes blob files again: a blob's name is its digest, so a changed byte or a truncated file shows.</summary>
internal static class BlobVerifier
{
    public static BlobState Verify(ContentStore content, Digest digest, long? size = null)
    {
        if (digest.Algorithm != "sha256")
        {
            return BlobState.Corrupt;
        }

        try
        {
            using var file = new FileStream(content.BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (size is { } expected && file.Length != expected)
            {
                return BlobState.Corrupt;
            }

            return Digest.Sha256(file) == digest ? BlobState.Ok : BlobState.Corrupt;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return BlobState.Missing;
        }
    }

    public static string Describe(BlobState state) => state == BlobState.Missing ? "missing" : "corrupt (its content does not match its digest)";
}
