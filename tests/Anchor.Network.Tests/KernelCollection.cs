namespace Anchor.Network.Tests;

/// <summary>Tests that change the host's links and Anchor's nft table run one after the other, as root.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection
{
    public const string Name = "kernel";
}
