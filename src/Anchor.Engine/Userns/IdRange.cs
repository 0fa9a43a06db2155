namespace Anchor.Engine.Userns;

/// <summary>A range of host ids handed to one container (--userns=auto): [Start, Start + Size).</summary>
public sealed record IdRange(string ContainerId, uint Start, uint Size)
{
    public ulong End => (ulong)Start + Size;

    public bool Overlaps(ulong start, ulong end) => start < End && Start < end;
}
