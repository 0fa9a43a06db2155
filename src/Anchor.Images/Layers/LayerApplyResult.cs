using Anchor.Oci;

namespace Anchor.Images.Layers;

/// <summary>The DiffID (sha256 of the uncompressed tar), the bytes of file content unpacked, and the input's compression.</summary>
public readonly record struct LayerApplyResult(Digest DiffId, long Size, Compression Compression);
