using Anchor.Oci;

namespace Anchor.Images;

/// <summary>What <c>rmi</c> did, in docker's order: the untagged names, then the deleted image ID and layer ChainIDs.</summary>
public sealed record RemoveResult(IReadOnlyList<string> Untagged, IReadOnlyList<Digest> Deleted)
{
    /// <summary>docker's output lines: "Untagged: busybox:latest", "Deleted: sha256:…".</summary>
    public IEnumerable<string> Lines =>
        Untagged.Select(t => $"Untagged: {t}").Concat(Deleted.Select(d => $"Deleted: {d}"));
}
