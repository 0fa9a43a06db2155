using Anchor.Oci;

namespace Anchor.Images.Registry;

/// <summary>A manifest or index as the registry served it: bytes kept as-is, since the digest is of the bytes.</summary>
public sealed record RegistryManifest(byte[] Bytes, string MediaType, Digest Digest);
