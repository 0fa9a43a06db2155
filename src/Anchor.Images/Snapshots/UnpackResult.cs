using Anchor.Oci;

namespace Anchor.Images.Snapshots;

/// <summary>The snapshot a layer became; <paramref name="Created"/> is false when it already existed.</summary>
public readonly record struct UnpackResult(Digest ChainId, Digest DiffId, long Size, bool Created);
