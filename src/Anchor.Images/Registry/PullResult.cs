using Anchor.Oci;

namespace Anchor.Images.Registry;

/// <summary>What a pull did: the image, the digest the registry knows it by, and whether anything new was stored.</summary>
public sealed record PullResult(StoredImage Image, Digest Digest, bool UpToDate);
