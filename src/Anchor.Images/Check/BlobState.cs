namespace Anchor.Images.Check;

/// <summary>What a blob file is against the digest (and size) that names it.</summary>
internal enum BlobState
{
    Ok,
    Missing,
    Corrupt,
}
