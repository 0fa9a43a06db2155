namespace Anchor.Engine.Networks;

/// <summary>One /etc/hosts line: an address and the names it answers to.</summary>
public sealed record HostEntry(string Address, IReadOnlyList<string> Names)
{
    public override string ToString() => Address + "\t" + string.Join(' ', Names);
}
