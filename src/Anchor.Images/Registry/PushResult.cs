using Anchor.Oci;

namespace Anchor.Images.Registry;

/// <summary>The pushed manifest's digest and size in bytes, which docker prints.</summary>
public sealed record PushResult(Digest Digest, long Size);
