using System.Text;
using Anchor.Oci;

namespace Anchor.Images.Snapshots;

/// <summary>One step of the ChainID recurrence (OCI image spec, config.md "Layer ChainID").</summary>
public static class ChainIds
{
    public static Digest Next(Digest? parent, Digest diffId) =>
        parent is { } p ? Digest.Sha256(Encoding.ASCII.GetBytes($"{p} {diffId}")) : diffId;
}
