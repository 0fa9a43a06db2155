using Anchor.Network;
using Anchor.Network.Nft;

namespace Anchor.Engine.Networks;

/// <summary>The host ports Anchor's nft table publishes now, whichever store published them ("tcp/8080").</summary>
public static class KernelPorts
{
    public static IReadOnlySet<string> Published()
    {
        try
        {
            return PortPublisher.PublishedPorts();
        }
        catch (NftException)
        {
            // No nft (builds, tests without networking): nothing can be published through it either.
            return new HashSet<string>();
        }
    }
}
