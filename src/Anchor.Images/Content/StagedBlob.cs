using Anchor.Oci;

namespace Anchor.Images.Content;

/// <summary>A fully written, fsynced file in the ingest area with its digest, not yet under its final name.</summary>
internal sealed record StagedBlob(string Path, Digest Digest, long Size);
