namespace Anchor.Oci.Image;

/// <summary>
/// ChainID(L0) = DiffID(L0); ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln))
/// (OCI image spec, config.md "Layer ChainID"). Names a snapshot: a layer applied on its parents.
/// </summary>
public static class ChainId
{
    public static IReadOnlyList<Digest> Compute(IReadOnlyList<Digest> diffIds)
    {
        var result = new List<Digest>(diffIds.Count);
        Digest? previous = null;
        foreach (var diffId in diffIds)
        {
            var next = previous is { } p
                ? Digest.Sha256(System.Text.Encoding.ASCII.GetBytes($"{p} {diffId}"))
                : diffId;
            result.Add(next);
            previous = next;
        }

        return result;
    }
}
